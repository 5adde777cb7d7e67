"""complete_orders on PostgreSQL against one raw `UPDATE … WHERE` of the same rows.

N delivered orders past the return window (quick: 10k, --full: 100k), in the same run on the same
database (bench/complete_orders_load.py does the work in a subprocess whose settings point at
the bench database only):
- ours: `commerce.orders.lifecycle.orders_complete`, the real service, batch by batch, with its
  row locks, OrderEvents and one published `order.completed` per order (outbox rows; the broker is
  in memory there, as delivery is the workers' cost, not the job's);
- baseline: one raw `UPDATE commerce_order SET status = 'completed' … WHERE` with the same
  conditions (status, window, no open refund), nothing else.
Reported: orders completed per second, ours against the raw UPDATE (goal ≥ 0.2×), and ours' peak
Python memory (tracemalloc) at N against at N/10: flat memory means a ratio near 1 (goal ≤ 2×),
where holding the orders would make it ~10×.

The database is the PostgreSQL server of DATABASE_URL when it names one, else the local one; the
bench creates `<name>_bench_complete` there and drops it afterwards. Without a reachable
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


def bench_database(database_url: str) -> BenchDatabase:
    """The dedicated database beside DATABASE_URL's (or on the default server)."""
    parts = urlsplit(database_url)
    if parts.scheme not in POSTGRES_SCHEMES:
        parts = urlsplit(DEFAULT_SERVER)
    name = f"{parts.path.lstrip('/') or 'wom'}_bench_complete"
    return BenchDatabase(
        name=name,
        url=urlunsplit(parts._replace(path=f"/{name}")),
        admin_url=urlunsplit(parts._replace(path="/postgres")),
    )


def rows_from(measured: dict) -> list[Row]:
    """The report's rows from complete_orders_load's JSON (sizes small first, then N)."""
    small, big = measured["sizes"]
    n = big["size"]
    return [
        Row(
            f"complete_orders over {n:,} delivered orders vs one raw UPDATE: orders/s",
            "ops/s",
            n / big["ours"],
            n / big["raw"],
            goal=0.2,
        ),
        Row(
            f"complete_orders peak memory: {n:,} orders vs {small['size']:,}",
            "bytes",
            big["peak_bytes"],
            small["peak_bytes"],
            goal=2.0,
        ),
    ]


def run(*, full: bool) -> list[Row]:
    import psycopg

    size = SIZES[full]
    database = bench_database(os.environ.get("DATABASE_URL", ""))
    var_dir = settings.VAR_DIR / "bench" / "complete_orders"
    shutil.rmtree(var_dir, ignore_errors=True)
    try:
        admin = psycopg.connect(database.admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise PostgresUnavailable(
            f"PostgreSQL is unreachable ({exc}): bench_complete_orders could not run"
        ) from exc
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database.name}"')
        try:
            worker = EmbeddedServer(
                var_dir, env={"DATABASE_URL": database.url, "CELERY_EAGER": "0"}
            )
            worker.run("manage.py", "migrate", "--noinput")
            output = worker.run(
                "-m",
                "bench.complete_orders_load",
                str(size // SMALL_FRACTION),
                str(size),
                timeout=1800,
            )
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
    return rows_from(json.loads(output))
