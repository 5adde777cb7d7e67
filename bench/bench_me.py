"""GET /api/v1/me (token auth) against a bare Django view answering the same JSON.

Both are served by one daphne process (bench.settings adds the bare view to the house URLs) on
a fresh embedded database under VAR_DIR/bench/me, loaded by the same client in alternating rounds.
"""

from __future__ import annotations

import shutil

import httpx
from django.conf import settings

from bench.load import compare
from bench.report import Row
from bench.server import embedded_server
from bench.urls import BARE_ME_PATH

OURS_PATH = "/api/v1/me"
# (concurrent connections, rounds per contender, seconds per round)
SIZES = {False: (8, 6, 1.5), True: (32, 10, 6.0)}


def _same_answer(base_url: str, headers: dict[str, str]) -> None:
    """The comparison is fair only while the bare view answers exactly what the API does."""
    ours = httpx.get(base_url + OURS_PATH, headers=headers)
    bare = httpx.get(base_url + BARE_ME_PATH, headers=headers)
    if ours.status_code != 200 or ours.json() != bare.json():
        raise RuntimeError(
            f"bench.views.bare_me no longer mirrors {OURS_PATH}:\n"
            f"ours {ours.status_code}: {ours.text[:500]}\n"
            f"bare {bare.status_code}: {bare.text[:500]}"
        )


def run(*, full: bool) -> list[Row]:
    concurrency, rounds, seconds = SIZES[full]
    var_dir = settings.VAR_DIR / "bench" / "me"
    shutil.rmtree(var_dir, ignore_errors=True)
    with embedded_server(var_dir, settings_module="bench.settings", access_log=False) as server:
        token = server.seed_users(prefix="bencher", count=1)["bencher0"]
        headers = {"Authorization": f"Token {token}"}
        _same_answer(server.base_url, headers)
        loads = compare(
            {"ours": server.base_url + OURS_PATH, "bare": server.base_url + BARE_ME_PATH},
            headers=headers,
            concurrency=concurrency,
            rounds=rounds,
            seconds=seconds,
        )
    ours, bare = loads["ours"], loads["bare"]
    name = f"GET {OURS_PATH} vs bare view, {concurrency} conns"
    # DRF, token auth and serializers may cost up to ~30% of a bare Django request (p50); the
    # tail gets more room because a few slow requests move it on a busy machine.
    return [
        Row(f"{name}: throughput", "req/s", ours.rate, bare.rate, goal=0.7),
        Row(f"{name}: p50", "ms", ours.percentile_ms(50), bare.percentile_ms(50), goal=1.5),
        Row(f"{name}: p99", "ms", ours.percentile_ms(99), bare.percentile_ms(99), goal=2.0),
    ]
