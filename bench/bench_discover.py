"""A discover page against a raw indexed top-20 query (issue 9: goal ≤ 3×).

On the home-feed bench's data set (10k users, 200k posts over 200 days, a realistic graph and
posts; bench/discover_load.py), all on PostgreSQL, after one refresh of discover's scores:
- ours: GET feed/discover (20 cards) for a viewer who follows 500 people, through the URL
  routing, DRF, the ranking query (top candidates, visibility, closeness boost), the
  diversification, the session list in the cache and the cards; the first page (a new session
  every time) and a later page of one session;
- baseline: the "all" chip's top 20 by the (category, -score) index with posts and authors
  joined, plus `json.dumps` of its rows.
Reported: p50 and p99 of both pages against the baseline (goal ≤ 3×), the queries of a page of
10 and of 50 cards against the issue's 3 (goal ≤ 1×), and on stderr the refresh's time. Plans
beside the results in VAR_DIR/bench/discover/plans.txt. The database is `<name>_bench_discover`
beside DATABASE_URL's (or on the local server), dropped afterwards; without PostgreSQL it cannot
run and says so.
"""

from __future__ import annotations

import json
import sys

from bench import postgres_worker
from bench.report import Row

USERS = 10_000
POSTS = 200_000
ROUNDS = {False: 100, True: 500}
GOAL = 3.0
DISCOVER = "/api/v1/feed/discover"


def rows_from(measured: dict) -> list[Row]:
    ms = 1000
    first, later = measured["pages"]["first"], measured["pages"]["later"]
    setting = f"{measured['posts']:,} posts, {measured['entries']:,} ranked entries"
    rows = []
    for label, figures in (("first page", first), ("later page", later)):
        for stat in ("p50", "p99"):
            rows.append(
                Row(
                    f"GET {DISCOVER} {label} ({setting}) vs raw indexed top-20 + JSON: {stat}",
                    "ms",
                    figures["ours"][stat] * ms,
                    figures["raw"][stat] * ms,
                    goal=GOAL,
                )
            )
    for size in ("10", "50"):
        rows.append(
            Row(
                f"GET {DISCOVER} queries, {size} cards (sign-in's token lookup left out) vs 3",
                "queries",
                measured["queries"][size],
                3,
                goal=1.0,
            )
        )
    return rows


def run(*, full: bool) -> list[Row]:
    output, var_dir = postgres_worker.run_worker(
        "discover", "bench.discover_load", USERS, POSTS, ROUNDS[full]
    )
    measured = json.loads(output)
    plans = var_dir / "plans.txt"
    plans.write_text("".join(f"== {name}\n{plan}\n\n" for name, plan in measured["plans"].items()))
    print(
        f"bench_discover: data generated in {measured['fill_seconds']:.1f}s, scores refreshed "
        f"in {measured['refresh_seconds']:.1f}s ({measured['entries']:,} entries); "
        f"query plans in {plans}",
        file=sys.stderr,
    )
    return rows_from(measured)
