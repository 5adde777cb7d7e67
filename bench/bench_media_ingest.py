"""Ingest of 12-megapixel JPEGs: ours (upload validation + the task's WebP variants) against
Pillow's `Image.thumbnail` to the same widths, and `POST media` against storing the upload.

Each image case runs in a fresh Python process so its memory is its own: the peak is that
process's high-water mark (VmHWM) minus its resident size just before the work (Pillow's buffers
are outside tracemalloc), both processes having imported the same modules. Time is the median
of repeated runs in that process.

The request case runs the house API (session auth, DRF, throttles off) in one process with its
own SQLite database and the task queued on an in-memory broker, as with a real worker; the
baseline is a bare Django view in the same process that stores the same multipart upload.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import Row

WIDTH, HEIGHT = 4000, 3000  # 12 megapixels, a phone photo
WIDTHS = [320, 640, 1080]
WEBP = {"quality": 80, "method": 4}  # The same encoder settings as media.processing.images.
# (images, timed repeats per process)
SIZES = {False: (1, 3), True: (3, 8)}
MB = 1024 * 1024


def make_photo(path: Path, seed: int) -> None:
    """A photo-like 12 MP JPEG of about 4 MB: gradients under sensor-like noise, quality 92."""
    from PIL import Image

    channels = []
    for index in range(3):
        gradient = Image.linear_gradient("L").rotate(seed * 40 + index * 120)
        noise = Image.effect_noise((WIDTH, HEIGHT), 30 + index * 4)
        channels.append(Image.blend(gradient.resize((WIDTH, HEIGHT)), noise, 0.3))
    Image.merge("RGB", channels).save(path, "JPEG", quality=92)


def _rss_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


# --- The cases (run inside the child process) -----------------------------------------------


def ours(path: str) -> None:
    """What an upload costs us for a picture: validation at upload, then the task's render."""
    from media.probe import probe
    from media.processing.images import render_file

    with open(path, "rb") as file:
        probe(file, size=os.path.getsize(path))
        file.seek(0)
        render_file(file, widths=WIDTHS)


def baseline(path: str) -> None:
    """Plain Pillow: open, thumbnail down to each width (largest first), save each as WebP."""
    from PIL import Image

    with Image.open(path) as image:
        for width in sorted(WIDTHS, reverse=True):
            image.thumbnail((width, width * 10))
            image.save(io.BytesIO(), "WEBP", **WEBP)


def child_image(case: str, path: str, repeats: int) -> dict:
    import django

    django.setup()
    # Import both sides' modules first, so neither pays the other's imports in its peak.
    from PIL import Image, WebPImagePlugin  # noqa: F401

    import media.probe  # noqa: F401
    import media.processing.images  # noqa: F401

    work = {"ours": ours, "baseline": baseline}[case]
    before = _rss_kb("VmRSS")
    work(path)
    peak = _rss_kb("VmHWM") - before
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work(path)
        times.append(time.perf_counter() - started)
    return {"seconds": statistics.median(times), "peak_kb": peak}


def child_request(path: str, repeats: int) -> dict:
    """Time POST /api/v1/media and a bare store-the-upload view on the same file."""
    import django

    django.setup()
    from types import ModuleType

    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.http import JsonResponse
    from django.test import Client, override_settings
    from django.urls import path as url

    from backend import urls as house_urls

    def store_only(request):
        upload = request.FILES["file"]
        name = default_storage.save(f"bench/{time.monotonic_ns()}/upload.jpg", upload)
        return JsonResponse({"name": name}, status=201)

    call_command("migrate", verbosity=0)
    urlconf = ModuleType("bench_media_urls")
    urlconf.urlpatterns = [url("bench/store", store_only), *house_urls.urlpatterns]
    client = Client()
    client.force_login(get_user_model().objects.create_user("bencher", "b@example.com"))
    timings: dict[str, list[float]] = {"ours": [], "bare": []}
    with override_settings(ROOT_URLCONF=urlconf):
        for _ in range(repeats + 1):
            for name, route in (("ours", "/api/v1/media"), ("bare", "/bench/store")):
                with open(path, "rb") as file:
                    started = time.perf_counter()
                    response = client.post(route, {"file": file})
                    timings[name].append(time.perf_counter() - started)
                if response.status_code != 201:
                    raise RuntimeError(f"{route} answered {response.status_code}")
    # The first round warms imports and caches.
    return {name: statistics.median(values[1:]) for name, values in timings.items()}


# --- The parent -----------------------------------------------------------------------------


def _child(args: list[str], env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.bench_media_ingest", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench child {args} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _child_env(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "S3_BUCKET", "CELERY_BROKER_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="backend.settings",
        VAR_DIR=str(var_dir),
        CELERY_EAGER="false",
        CELERY_BROKER_URL="memory://localhost/",
        API_THROTTLE="off",
    )
    return env


def run(*, full: bool) -> list[Row]:
    images, repeats = SIZES[full]
    with tempfile.TemporaryDirectory(prefix="bench-media-") as work:
        work_dir = Path(work)
        env = _child_env(work_dir / "var")
        results: dict[str, list[dict]] = {"ours": [], "baseline": []}
        for index in range(images):
            photo = work_dir / f"photo{index}.jpg"
            make_photo(photo, seed=index)
            for case in ("baseline", "ours"):
                results[case].append(_child(["image", case, str(photo), str(repeats)], env))
        request = _child(["request", str(work_dir / "photo0.jpg"), str(repeats)], env)
        size_mb = (work_dir / "photo0.jpg").stat().st_size / MB

    def median(case: str, key: str) -> float:
        return statistics.median(item[key] for item in results[case])

    name = f"ingest {WIDTH * HEIGHT / 1e6:.0f} MP JPEG (validate + {len(WIDTHS)} WebP)"
    base = f"vs Image.thumbnail + WebP, {images} image(s)"
    return [
        Row(f"{name} {base}: time", "ms", median("ours", "seconds") * 1000,
            median("baseline", "seconds") * 1000, goal=1.2),
        Row(f"{name} {base}: peak memory", "MB", median("ours", "peak_kb") / 1024,
            median("baseline", "peak_kb") / 1024, goal=1.5),
        # "About the time of storing the file" (on local disk only a rename). Validation reads
        # the structure, not the pixels; what the bare view skips is the session and user
        # lookups, the row's insert, update and commit, and queueing the task.
        Row(f"POST media ({size_mb:.1f} MB JPEG) vs storing the upload: time", "ms",
            request["ours"] * 1000, request["bare"] * 1000, goal=1.5),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description="bench_media_ingest's child processes")
    sub = parser.add_subparsers(dest="command", required=True)
    image = sub.add_parser("image")
    image.add_argument("case", choices=["ours", "baseline"])
    image.add_argument("path")
    image.add_argument("repeats", type=int)
    request = sub.add_parser("request")
    request.add_argument("path")
    request.add_argument("repeats", type=int)
    args = parser.parse_args()
    if args.command == "image":
        result = child_image(args.case, args.path, args.repeats)
    else:
        result = child_request(args.path, args.repeats)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
