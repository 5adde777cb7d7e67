"""Fan-out on write (feed.fanout) against a raw Redis pipeline of the same inserts, and the
publish call's time against the follower count.

Three authors with 1k, 10k and 100k followers (quick: 1k, 10k and 30k, so the run stays
short; --full: the issue's 100k), every follower active (their activity marker set), in a
PostgreSQL bench database and the Redis of REDIS_URL (or the local one) under a key prefix of
the run's own, removed afterwards; bench/fanout_load.py does the work in a subprocess.
- ours: `feed.fanout.post_fan_out` for a new post: the follower ids read in batches of
  FEED_FANOUT_BATCH from PostgreSQL, one Redis call per batch adding the post to each active
  follower's timeline, capped, expiring with the marker. FEED_MERGE_FOLLOWERS is raised above
  the largest author for the run: at the default (10k) the 10k and 100k authors would not be
  fanned out at all but merged at read time;
- baseline: the same ZADDs to the same keys in a raw pipeline (batches of the same size), with
  the follower ids already in hand;
- the publish call: `posts.services.post_create` (a published post) up to its commit, per
  author; its event's handlers run later (a worker), so the time must not grow with the
  follower count. Reported against the 1k author's (goal ≤ 1.5×: the same within noise).
Goal for the fan-out: at least half the raw pipeline's rate (followers a second).
"""

from __future__ import annotations

import json
import sys

from bench import postgres_worker
from bench.bench_home_redis import bench_services
from bench.report import Row

SIZES = {False: (1_000, 10_000, 30_000), True: (1_000, 10_000, 100_000)}
ROUNDS = {False: 5, True: 9}
GOAL = 0.5
PUBLISH_GOAL = 1.5


def rows_from(measured: dict) -> list[Row]:
    rows = []
    for size, figures in measured["fanout"].items():
        rows.append(
            Row(
                f"fan-out of a post to {int(size):,} followers vs a raw ZADD pipeline (p50)",
                "ops/s",
                figures["ours_rate"],
                figures["raw_rate"],
                goal=GOAL,
            )
        )
    publish = measured["publish"]
    smallest = min(publish, key=int)
    for size in sorted(publish, key=int):
        if size == smallest:
            continue
        rows.append(
            Row(
                f"publish call, {int(size):,} followers vs {int(smallest):,} (p50)",
                "ms",
                publish[size] * 1000,
                publish[smallest] * 1000,
                goal=PUBLISH_GOAL,
            )
        )
    return rows


def run(*, full: bool) -> list[Row]:
    var_dir = postgres_worker.bench_var_dir("fanout")
    sizes = ",".join(str(size) for size in SIZES[full])
    with bench_services("fanout") as env:
        output = postgres_worker.run_migrated(
            var_dir, env, "bench.fanout_load", sizes, ROUNDS[full], timeout=3600
        )
    measured = json.loads(output)
    walks = ", ".join(
        f"{int(size):,}: {figures['followers_sql_p50'] * 1000:.0f} of "
        f"{figures['ours_p50'] * 1000:.0f} ms"
        for size, figures in measured["fanout"].items()
    )
    print(
        f"bench_fanout: data generated in {measured['fill_seconds']:.1f}s "
        f"(batch {measured['batch']}); reading the followers from SQL took {walks}",
        file=sys.stderr,
    )
    return rows_from(measured)
