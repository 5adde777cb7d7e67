"""Commission accrual on PostgreSQL against one raw `INSERT … SELECT` of the same rows.

N credited order lines (quick: 10k, --full: 100k), in the same run on the same database
(bench/commission_accrual_load.py does the work in a subprocess whose settings point at the
bench database only):
- baseline: one raw `INSERT INTO rewards_commission … SELECT … FROM shoplinks_decision JOIN
  commerce_orderline` computing ⌊rate × net⌋ at one fixed rate, nothing else;
- ours: `rewards.commissions.commissions_accrue`, the real service, over the same decisions in
  batches: the rate formula with the rules' history (RateBook), the commission rows, the ledger
  posting of each batch (shop payable → sharer pending, with its row locks and non-negative
  checks) and one published `commission.accrued` per commission (outbox rows; the broker is in
  memory there, as delivery is the workers' cost, not the accrual's).
Reported: lines accrued per second, ours against the raw INSERT … SELECT (goal ≥ 0.3×).

The database is the PostgreSQL server of DATABASE_URL when it names one, else the local one; the
bench creates `<name>_bench_accrual` there and drops it afterwards. Without a reachable
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


def bench_database(database_url: str) -> BenchDatabase:
    """The dedicated database beside DATABASE_URL's (or on the default server)."""
    parts = urlsplit(database_url)
    if parts.scheme not in POSTGRES_SCHEMES:
        parts = urlsplit(DEFAULT_SERVER)
    name = f"{parts.path.lstrip('/') or 'wom'}_bench_accrual"
    return BenchDatabase(
        name=name,
        url=urlunsplit(parts._replace(path=f"/{name}")),
        admin_url=urlunsplit(parts._replace(path="/postgres")),
    )


def rows_from(measured: dict) -> list[Row]:
    """The report's row from commission_accrual_load's JSON."""
    n = measured["size"]
    return [
        Row(
            f"commission accrual of {n:,} credited lines vs raw INSERT … SELECT: lines/s",
            "ops/s",
            n / measured["ours"],
            n / measured["raw"],
            goal=0.3,
        )
    ]


def run(*, full: bool) -> list[Row]:
    import psycopg

    size = SIZES[full]
    database = bench_database(os.environ.get("DATABASE_URL", ""))
    var_dir = settings.VAR_DIR / "bench" / "commission_accrual"
    shutil.rmtree(var_dir, ignore_errors=True)
    try:
        admin = psycopg.connect(database.admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise PostgresUnavailable(
            f"PostgreSQL is unreachable ({exc}): bench_commission_accrual could not run"
        ) from exc
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database.name}"')
        try:
            worker = EmbeddedServer(
                var_dir, env={"DATABASE_URL": database.url, "CELERY_EAGER": "0"}
            )
            worker.run("manage.py", "migrate", "--noinput")
            output = worker.run("-m", "bench.commission_accrual_load", str(size), timeout=1800)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
    return rows_from(json.loads(output))
