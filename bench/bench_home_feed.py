"""The home timeline read (the database store) against one raw SQL query of the same page.

A viewer who follows 500 people, on 10k users and 200k posts with a realistic graph (friends,
close friends, blocks, mutes, others following each other) and realistic posts (visibility mix,
drafts, deletions, one or two pictures, product tags, hashtags, likes), all on PostgreSQL
(bench/home_feed_data.py generates the rows, bench/home_feed_load.py measures, in a subprocess
whose settings point at the bench database only). The sizes are the same in both modes; --full
takes more rounds.
- ours: GET feed/home (20 cards) signed in with a token, through Django's URL routing, DRF, the
  store, the card batch reads and the serializers (in-process client); the first page and a
  deep one (after following `next` 10 times);
- baseline: one hand-written SQL query giving the same page under the same rules (authors
  joined, each post's first picture), plus `json.dumps` of its rows; it must return the same
  post ids as ours or the bench fails.
Reported: p50 and p99 of the first page and p50 of the deep page against the baseline (goal
≤ 8×), and the queries of a page of 50 cards against a page of 10 (goal ≤ 1×: a fixed number).
The query plans (EXPLAIN ANALYZE, ours and the baseline's) are written beside the results, in
VAR_DIR/bench/home_feed/plans.txt.

The database is the PostgreSQL server of DATABASE_URL when it names one, else the local one; the
bench creates `<name>_bench_home_feed` there and drops it afterwards. Without a reachable
PostgreSQL it cannot run and says so.
"""

from __future__ import annotations

import json
import sys

from bench import postgres_worker
from bench.bench_checkout import BenchDatabase
from bench.report import Row

USERS = 10_000
POSTS = 200_000
ROUNDS = {False: 100, True: 500}
GOAL = 8.0
HOME = "/api/v1/feed/home"


def bench_database(database_url: str) -> BenchDatabase:
    """The dedicated database beside DATABASE_URL's (or on the default server)."""
    return postgres_worker.bench_database(database_url, "home_feed")


def rows_from(measured: dict) -> list[Row]:
    """The report's rows from home_feed_load's JSON."""
    first, deep = measured["pages"]["first"], measured["pages"]["deep"]
    setting = f"{measured['follows']} follows, {measured['posts']:,} posts"
    page = f"GET {HOME} ({setting})"
    ms = 1000
    return [
        Row(
            f"{page} vs one raw SQL page + JSON: p50",
            "ms",
            first["ours"]["p50"] * ms,
            first["raw"]["p50"] * ms,
            goal=GOAL,
        ),
        Row(
            f"{page} vs one raw SQL page + JSON: p99",
            "ms",
            first["ours"]["p99"] * ms,
            first["raw"]["p99"] * ms,
            goal=GOAL,
        ),
        Row(
            f"{page}, page {measured['deep'] + 1} vs raw: p50",
            "ms",
            deep["ours"]["p50"] * ms,
            deep["raw"]["p50"] * ms,
            goal=GOAL,
        ),
        Row(
            f"GET {HOME} queries: 50 cards vs 10",
            "queries",
            measured["queries"]["50"],
            measured["queries"]["10"],
            goal=1.0,
        ),
    ]


def plans_text(measured: dict) -> str:
    """The query plans of one run, each under its name, for reading beside the figures."""
    return "".join(f"== {name}\n{plan}\n\n" for name, plan in measured["plans"].items())


def run(*, full: bool) -> list[Row]:
    output, var_dir = postgres_worker.run_worker(
        "home_feed", "bench.home_feed_load", USERS, POSTS, ROUNDS[full]
    )
    measured = json.loads(output)
    plans = var_dir / "plans.txt"
    plans.write_text(plans_text(measured))
    print(
        f"bench_home_feed: data generated in {measured['fill_seconds']:.1f}s; "
        f"query plans in {plans}",
        file=sys.stderr,
    )
    return rows_from(measured)
