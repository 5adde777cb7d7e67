"""The earnings API for a sharer with many commissions against one raw aggregate query.

A sharer with N commissions (quick: 10k, --full: 100k) and N/10 for comparison, on PostgreSQL
(bench/earnings_api_load.py generates the rows and measures in a subprocess whose settings point
at the bench database only):
- ours: GET earnings, earnings/commissions, earnings/daily and earnings/links through Django's
  URL routing, DRF and the serializers (in-process client), p50 over repeated requests;
- baseline: one raw `SELECT status, count(*), sum(amount) … GROUP BY status` over the sharer's
  commissions, p50 over as many runs.
Reported: GET earnings' p50 against the raw aggregate (goal ≤ 3×), and each read's query count
at N against N/10 (goal ≤ 1×: a fixed number of queries whatever the history).

The database is the PostgreSQL server of DATABASE_URL when it names one, else the local one; the
bench creates `<name>_bench_earnings` there and drops it afterwards. Without a reachable
PostgreSQL it cannot run and says so.
"""

from __future__ import annotations

import json
import os
import shutil
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

SIZES = {False: 10_000, True: 100_000}
SMALL_FRACTION = 10
SUMMARY = "/api/v1/earnings"


def bench_database(database_url: str) -> BenchDatabase:
    """The dedicated database beside DATABASE_URL's (or on the default server)."""
    parts = urlsplit(database_url)
    if parts.scheme not in POSTGRES_SCHEMES:
        parts = urlsplit(DEFAULT_SERVER)
    name = f"{parts.path.lstrip('/') or 'wom'}_bench_earnings"
    return BenchDatabase(
        name=name,
        url=urlunsplit(parts._replace(path=f"/{name}")),
        admin_url=urlunsplit(parts._replace(path="/postgres")),
    )


def rows_from(measured: dict) -> list[Row]:
    """The report's rows from earnings_api_load's JSON (sizes small first, then N)."""
    small, big = measured["sizes"]
    n = big["size"]
    rows = [
        Row(
            f"GET {SUMMARY} with {n:,} commissions vs one raw aggregate: p50",
            "ms",
            big["paths"][SUMMARY]["p50"] * 1000,
            big["raw_p50"] * 1000,
            goal=3.0,
        )
    ]
    for path, figures in big["paths"].items():
        rows.append(
            Row(
                f"GET {path} queries: {n:,} commissions vs {small['size']:,}",
                "queries",
                figures["queries"],
                small["paths"][path]["queries"],
                goal=1.0,
            )
        )
    return rows


def run(*, full: bool) -> list[Row]:
    import psycopg

    size = SIZES[full]
    database = bench_database(os.environ.get("DATABASE_URL", ""))
    var_dir = settings.VAR_DIR / "bench" / "earnings_api"
    shutil.rmtree(var_dir, ignore_errors=True)
    try:
        admin = psycopg.connect(database.admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise PostgresUnavailable(
            f"PostgreSQL is unreachable ({exc}): bench_earnings_api could not run"
        ) from exc
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database.name}"')
        try:
            worker = EmbeddedServer(var_dir, env={"DATABASE_URL": database.url})
            worker.run("manage.py", "migrate", "--noinput")
            output = worker.run(
                "-m",
                "bench.earnings_api_load",
                str(size // SMALL_FRACTION),
                str(size),
                timeout=1800,
            )
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
    return rows_from(json.loads(output))
