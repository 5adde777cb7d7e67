"""bench_media_ingest's parts: the photo it measures, the children's environment and output."""

from __future__ import annotations

from PIL import Image

from bench.bench_media_ingest import HEIGHT, WIDTH, _child, _child_env, make_photo


def test_the_photo_is_a_12_megapixel_jpeg_of_phone_size(tmp_path):
    """The measured file is a 4000×3000 JPEG of a few megabytes, like a phone photo."""
    path = tmp_path / "photo.jpg"

    make_photo(path, seed=0)

    with Image.open(path) as image:
        assert (image.format, image.size) == ("JPEG", (WIDTH, HEIGHT))
    assert 2_000_000 < path.stat().st_size < 8_000_000


def test_children_run_on_their_own_sqlite_with_a_queue_and_no_throttle(tmp_path, monkeypatch):
    """The request child never touches the configured services: no PostgreSQL, Redis or S3,
    tasks queued (not run in the request), throttles off, its own VAR_DIR."""
    monkeypatch.setenv("DATABASE_URL", "postgres://x@db/wom")
    monkeypatch.setenv("REDIS_URL", "redis://r/0")
    monkeypatch.setenv("S3_BUCKET", "bucket")

    env = _child_env(tmp_path / "var")

    assert not {"DATABASE_URL", "REDIS_URL", "S3_BUCKET"} & set(env)
    assert env["VAR_DIR"] == str(tmp_path / "var")
    assert env["CELERY_EAGER"] == "false"
    assert env["API_THROTTLE"] == "off"


def test_an_image_child_reports_its_median_time_and_peak(tmp_path):
    """One child process measures one case and prints seconds and a positive memory peak."""
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (1600, 1200), (10, 120, 200)).save(path, "JPEG")

    result = _child(["image", "ours", str(path), "1"], _child_env(tmp_path / "var"))

    assert result["seconds"] > 0
    assert result["peak_kb"] > 0
