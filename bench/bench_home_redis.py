"""The home timeline on the Redis store (FEED_STORE=redis) against ZREVRANGE + one raw SQL
fetch of the same ids + JSON encoding, in the same run.

The data set is bench_home_feed's (bench/home_feed_data.py: a realistic graph and posts; the
viewer follows 500 people), on PostgreSQL, with five of the viewer's followees marked as merged
at read time (as authors with FEED_MERGE_FOLLOWERS followers are), so a page also pays for the
merge. Sizes: --full is the issue's 100k users / 1M posts; the quick run scales the data down
to 20k users / 200k posts so that generating it takes about 1.5 minutes rather than 6 (the
page's cost depends on the viewer's timeline, capped at FEED_TIMELINE_CAP, not on the table's
size: the SQL is one fetch by primary keys). bench/home_redis_load.py does the work in a
subprocess whose settings point at the bench database and at the Redis of REDIS_URL (or the
local one) under a key prefix of the run's own, removed afterwards.
- ours: GET feed/home (20 cards) signed in with a token, through the URL routing, DRF, the Redis
  store (one pipeline, one SQL query), the card batch reads and the serializers; the first
  page and a deep one (after following `next` 10 times);
- baseline: ZREVRANGEBYSCORE of the same window of the viewer's set, one raw SQL query fetching
  the page's ids (authors joined, each post's first picture) and `json.dumps` of its rows.
Reported: p50 of both pages against the baseline (goal ≤ 8×), and the SQL queries of a page
of 50 cards against a page of 10 (goal ≤ 1×) and of the store and cards alone (goal ≤ 3).
The plan of the store's query (EXPLAIN ANALYZE) is written to VAR_DIR/bench/home_redis/plan.txt.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from bench import postgres_worker
from bench.report import Row

SIZES = {False: (20_000, 200_000), True: (100_000, 1_000_000)}
ROUNDS = {False: 100, True: 300}
GOAL = 8.0
HOME = "/api/v1/feed/home"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


@contextmanager
def bench_services(label: str) -> Iterator[dict[str, str]]:
    """A fresh PostgreSQL database and a Redis key prefix for one bench, dropped afterwards;
    yields the environment a worker runs with (the Redis store on)."""
    import redis

    redis_url = os.environ.get("REDIS_URL") or LOCAL_REDIS
    prefix = f"bench-{label}-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(redis_url)
    client.ping()
    with postgres_worker.fresh_database(label) as database:
        try:
            yield {
                "DATABASE_URL": database.url,
                "REDIS_URL": redis_url,
                "CACHE_KEY_PREFIX": prefix,
                "FEED_STORE": "redis",
                # Handlers wait in an in-process queue: no worker runs them during the bench.
                "CELERY_BROKER_URL": "memory://localhost/",
                "CELERY_EAGER": "0",
            }
        finally:
            for keys in _chunks(client.scan_iter(match=f"{prefix}:*", count=10_000)):
                client.delete(*keys)


def _chunks(keys, size: int = 10_000):
    chunk = []
    for key in keys:
        chunk.append(key)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def rows_from(measured: dict) -> list[Row]:
    first, deep = measured["pages"]["first"], measured["pages"]["deep"]
    setting = (
        f"Redis store, {measured['users']:,} users, {measured['posts']:,} posts, "
        f"{measured['follows']} follows"
    )
    ms = 1000
    return [
        Row(
            f"GET {HOME} ({setting}) vs ZREVRANGE + raw SQL + JSON: p50",
            "ms",
            first["ours"]["p50"] * ms,
            first["raw"]["p50"] * ms,
            goal=GOAL,
        ),
        Row(
            f"GET {HOME} (Redis store), page {measured['deep'] + 1} vs raw: p50",
            "ms",
            deep["ours"]["p50"] * ms,
            deep["raw"]["p50"] * ms,
            goal=GOAL,
        ),
        Row(
            f"GET {HOME} (Redis store) queries: 50 cards vs 10",
            "queries",
            measured["queries"]["50"],
            measured["queries"]["10"],
            goal=1.0,
        ),
        Row(
            "Redis-store home page of 50 cards: SQL queries (store + cards) vs 3",
            "queries",
            measured["queries"]["page_50"],
            3,
            goal=1.0,
        ),
    ]


def run(*, full: bool) -> list[Row]:
    var_dir = postgres_worker.bench_var_dir("home_redis")
    users, posts = SIZES[full]
    with bench_services("home_redis") as env:
        output = postgres_worker.run_migrated(
            var_dir, env, "bench.home_redis_load", users, posts, ROUNDS[full], timeout=3600
        )
    measured = json.loads(output)
    plan = var_dir / "plan.txt"
    plan.write_text(measured["plan"] + "\n")
    print(
        f"bench_home_redis: data generated in {measured['fill_seconds']:.1f}s; the store "
        f"alone took {measured['store_p50'] * 1000:.1f} ms (p50) of the first page; its query "
        f"plan in {plan}",
        file=sys.stderr,
    )
    return rows_from(measured)
