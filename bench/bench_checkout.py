"""Checkout of a hot SKU on PostgreSQL against a raw loop of the guarded UPDATE it is built on.

200 buyers, each with one cart line of quantity 1, go for a SKU with 100 on hand, all at once,
served by as many worker threads as PostgreSQL has connections to spare (each thread its own
connection; up to all 200). In alternating rounds, in the same run on the same database:
- ours: `commerce.checkout.services.checkout_place`, the real service;
- baseline: the bare `UPDATE … SET reserved = reserved + 1 WHERE id = %s AND on_hand - reserved
  >= 1` that the service's reservation is, with nothing around it.
Reported: orders/s (units sold per second of a round; both sell exactly the 100 on hand, so this
is also 200 buyers served per round time), p50/p99 latency of one buyer's call, units oversold
(ours and the baseline's) and the SQL queries of one checkout of a 3-line cart.

Representation of the two goals that have no natural baseline (bench/report.py reads every goal
as a bound on ours / baseline):
- oversold: ours = units sold beyond the stock over all rounds, baseline = the units on offer
  over all rounds, goal 0: met only when nothing at all was oversold;
- queries: ours = the count, baseline = the budget of 15, goal 1: met at 15 queries or fewer.

The database is the PostgreSQL server of DATABASE_URL when it names one, else
postgres://postgres@127.0.0.1:5432/; the bench creates its own database there
(`<name>_bench_checkout`, `wom_bench_checkout` by default) and drops it afterwards. The load
runs in a subprocess (bench/checkout_load.py) whose settings point at that database only; events
go to an in-memory broker there, as they go to Redis in a deployment on PostgreSQL (delivery is
the workers' cost, not the checkout's). Without a reachable PostgreSQL the bench cannot run and
says so.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from bench.load import Load
from bench.report import Row
from bench.server import EmbeddedServer

BUYERS = 200
STOCK = 100
QUERY_BUDGET = 15
# (rounds per contender, most worker threads)
SIZES = {False: (3, 40), True: (10, BUYERS)}
# Connections left to everything else on the server (other test runs, the bench's own setup).
CONNECTION_HEADROOM = 15
MIN_WORKERS = 4
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")


class PostgresUnavailable(RuntimeError):
    """The bench needs PostgreSQL and could not use it: nothing was measured."""


@dataclass(frozen=True)
class BenchDatabase:
    name: str
    url: str
    admin_url: str


def bench_database(database_url: str) -> BenchDatabase:
    """The dedicated database on DATABASE_URL's PostgreSQL server (or the default server).

    Its name derives from the configured database's, so developers and CI sharing one server
    each get their own; the admin URL names the `postgres` database, used to create and drop it.
    """
    parts = urlsplit(database_url)
    if parts.scheme not in POSTGRES_SCHEMES:
        parts = urlsplit(DEFAULT_SERVER)
    configured = parts.path.lstrip("/")
    name = f"{configured or 'wom'}_bench_checkout"
    return BenchDatabase(
        name=name,
        url=urlunsplit(parts._replace(path=f"/{name}")),
        admin_url=urlunsplit(parts._replace(path="/postgres")),
    )


def workers_for(spare_connections: int, cap: int) -> int:
    """Worker threads: one per buyer up to the cap, never more than the server can spare."""
    workers = min(BUYERS, cap, spare_connections - CONNECTION_HEADROOM)
    if workers < MIN_WORKERS:
        raise PostgresUnavailable(
            f"PostgreSQL has only {spare_connections} connections to spare: "
            "bench_checkout could not run"
        )
    return workers


def _admin(database: BenchDatabase):
    import psycopg

    try:
        return psycopg.connect(database.admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        host = urlsplit(database.admin_url).hostname
        raise PostgresUnavailable(
            f"PostgreSQL at {host} is unreachable ({exc}): bench_checkout could not run"
        ) from exc


def _spare_connections(admin) -> int:
    return admin.execute(
        "SELECT current_setting('max_connections')::int"
        " - current_setting('superuser_reserved_connections')::int"
        " - (SELECT count(*) FROM pg_stat_activity)"
    ).fetchone()[0]


def rows_from(measured: dict, *, workers: int, rounds: int) -> list[Row]:
    """The report's rows from checkout_load's JSON."""
    loads = {
        name: Load(
            requests=measured[name]["sold"],
            seconds=sum(measured[name]["seconds"]),
            latencies=measured[name]["latencies"],
        )
        for name in ("ours", "raw")
    }
    ours, raw = loads["ours"], loads["raw"]
    name = f"checkout hot SKU ({STOCK} on hand, {BUYERS} buyers, {workers} conns) vs raw UPDATE"
    on_offer = STOCK * rounds
    # Under one hot row both queue on its lock; the service holds it longer (it writes the order
    # in the same transaction), so it may take up to twice the bare statement's time.
    return [
        Row(f"{name}: orders/s", "ops/s", ours.rate, raw.rate, goal=0.5),
        Row(f"{name}: p50", "ms", ours.percentile_ms(50), raw.percentile_ms(50), goal=2.0),
        Row(f"{name}: p99", "ms", ours.percentile_ms(99), raw.percentile_ms(99), goal=2.0),
        Row(
            "checkout hot SKU: units oversold (ours) / units on offer",
            "units",
            measured["ours"]["oversold"],
            on_offer,
            goal=0,
        ),
        Row(
            "raw guarded UPDATE: units oversold / units on offer",
            "units",
            measured["raw"]["oversold"],
            on_offer,
            goal=0,
        ),
        Row(
            f"checkout of a 3-line cart: SQL queries / budget of {QUERY_BUDGET}",
            "queries",
            len(measured["three_line_queries"]),
            QUERY_BUDGET,
            goal=1,
        ),
    ]


def run(*, full: bool) -> list[Row]:
    rounds, cap = SIZES[full]
    database = bench_database(os.environ.get("DATABASE_URL", ""))
    var_dir = settings.VAR_DIR / "bench" / "checkout"
    shutil.rmtree(var_dir, ignore_errors=True)
    with _admin(database) as admin:
        workers = workers_for(_spare_connections(admin), cap)
        admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database.name}"')
        try:
            worker = EmbeddedServer(
                var_dir, env={"DATABASE_URL": database.url, "CELERY_EAGER": "0"}
            )
            worker.run("manage.py", "migrate", "--noinput")
            output = worker.run(
                "-m", "bench.checkout_load", str(BUYERS), str(STOCK), str(workers), str(rounds)
            )
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
    return rows_from(json.loads(output), workers=workers, rounds=rounds)
