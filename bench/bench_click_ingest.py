"""Click ingestion: N taps pushed through the click buffer and written by flush(), against raw
batched INSERTs of the same rows into the same table, in the same run (quick: 100k, --full: 1M).

Ours is what a tap costs after the redirect has answered: one push per click into the buffer
(here one at a time, as requests push), then flush(): claim the batch, build the rows, insert
them 1,000 at a time with `ON CONFLICT DO NOTHING` (exactly-once by uid), 2,000 per
transaction. The baseline is `executemany` of a plain INSERT, 1,000 rows per transaction.
Goal: ours ≥ 0.5× the baseline's clicks per second.

Each case runs in a subprocess on its own embedded SQLite database under
VAR_DIR/bench/click_ingest/<buffer> with the in-memory buffer (the embedded default); when
REDIS_URL is set in the bench's environment, once more with the Redis buffer on that server
(the buffer's keys under a prefix of their own; the flush leaves none behind).
Reported per buffer: push + flush (the goal) and the flush alone, each against the raw rate.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid

from django.conf import settings

from bench.report import Row
from bench.server import EmbeddedServer

SIZES = {False: 100_000, True: 1_000_000}


def _measure(buffer: str, count: int, extra: dict[str, str]) -> dict:
    var_dir = settings.VAR_DIR / "bench" / "click_ingest" / buffer
    shutil.rmtree(var_dir, ignore_errors=True)
    worker = EmbeddedServer(var_dir, env={"SHARE_CLICK_BUFFER": buffer, **extra})
    worker.run("manage.py", "migrate", "--noinput")
    return json.loads(worker.run("-m", "bench.click_ingest_work", str(count), timeout=7200))


def rows_from(buffer: str, measured: dict) -> list[Row]:
    count = measured["clicks"]
    if measured["rows_ours"] != count or measured["rows_raw"] != count:
        raise RuntimeError(f"rows stored do not match the clicks sent: {measured}")
    name = f"{count:,} clicks, {buffer} buffer vs raw batched INSERTs"
    return [
        Row(
            f"{name}: push + flush", "ops/s", count / measured["ours"], count / measured["raw"], 0.5
        ),
        # The pushes are the requests' share, made in parallel by every web process; the flush
        # is the one writer's, the part that must keep up.
        Row(
            f"{name}: flush alone", "ops/s", count / measured["flush"], count / measured["raw"], 0.5
        ),
    ]


def run(*, full: bool) -> list[Row]:
    count = SIZES[full]
    rows = rows_from("memory", _measure("memory", count, {}))
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        prefix = f"bench-{uuid.uuid4().hex}"
        extra = {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix, "CELERY_EAGER": "1"}
        rows += rows_from("redis", _measure("redis", count, extra))
    return rows
