"""The home timeline read (the database store) against one raw SQL query of the same page.

A viewer who follows 500 people, on 10k users and 200k posts with a realistic graph (friends,
close friends, blocks, mutes, others following each other) and realistic posts (visibility mix,
drafts, deletions, one or two pictures, product tags, hashtags, likes), all on PostgreSQL
(bench/home_feed_load.py generates the rows and measures in a subprocess whose settings point
at the bench database only). The sizes are the same in both modes; --full takes more rounds.
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
import os
import shutil
import sys
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from bench.bench_checkout import (
    DEFAULT_SERVER,
    POSTGRES_SCHEMES,
    BenchDatabase,
    PostgresUnavailable,
)
from bench.report import Row
from bench.server import EmbeddedServer

USERS = 10_000
POSTS = 200_000
ROUNDS = {False: 100, True: 500}
GOAL = 8.0
HOME = "/api/v1/feed/home"


def bench_database(database_url: str) -> BenchDatabase:
    """The dedicated database beside DATABASE_URL's (or on the default server)."""
    parts = urlsplit(database_url)
    if parts.scheme not in POSTGRES_SCHEMES:
        parts = urlsplit(DEFAULT_SERVER)
    name = f"{parts.path.lstrip('/') or 'wom'}_bench_home_feed"
    return BenchDatabase(
        name=name,
        url=urlunsplit(parts._replace(path=f"/{name}")),
        admin_url=urlunsplit(parts._replace(path="/postgres")),
    )


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
    import psycopg

    database = bench_database(os.environ.get("DATABASE_URL", ""))
    var_dir = settings.VAR_DIR / "bench" / "home_feed"
    shutil.rmtree(var_dir, ignore_errors=True)
    try:
        admin = psycopg.connect(database.admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise PostgresUnavailable(
            f"PostgreSQL is unreachable ({exc}): bench_home_feed could not run"
        ) from exc
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database.name}"')
        try:
            worker = EmbeddedServer(var_dir, env={"DATABASE_URL": database.url})
            worker.run("manage.py", "migrate", "--noinput")
            output = worker.run(
                "-m",
                "bench.home_feed_load",
                str(USERS),
                str(POSTS),
                str(ROUNDS[full]),
                timeout=1800,
            )
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
    measured = json.loads(output)
    plans = var_dir / "plans.txt"
    plans.write_text(plans_text(measured))
    print(
        f"bench_home_feed: data generated in {measured['fill_seconds']:.1f}s; "
        f"query plans in {plans}",
        file=sys.stderr,
    )
    return rows_from(measured)
