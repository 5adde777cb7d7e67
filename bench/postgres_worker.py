"""Benchmarks that measure in a PostgreSQL database of their own.

The database sits beside DATABASE_URL's (or on the local server), named after the configured one
plus the bench's label, so developers and CI sharing a server each get theirs. It is created
fresh, migrated, handed to a worker module run in a subprocess whose settings point at it only,
and dropped afterwards. Without a reachable PostgreSQL the bench cannot run and says so.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from bench.bench_checkout import (
    DEFAULT_SERVER,
    POSTGRES_SCHEMES,
    BenchDatabase,
    PostgresUnavailable,
)
from bench.server import EmbeddedServer


def bench_database(database_url: str, label: str) -> BenchDatabase:
    """`<configured name>_bench_<label>` on DATABASE_URL's server, or on the local one when
    DATABASE_URL names no PostgreSQL database; the admin URL names `postgres`."""
    parts = urlsplit(database_url)
    if parts.scheme not in POSTGRES_SCHEMES:
        parts = urlsplit(DEFAULT_SERVER)
    name = f"{parts.path.lstrip('/') or 'wom'}_bench_{label}"
    return BenchDatabase(
        name=name,
        url=urlunsplit(parts._replace(path=f"/{name}")),
        admin_url=urlunsplit(parts._replace(path="/postgres")),
    )


@contextmanager
def fresh_database(label: str) -> Iterator[BenchDatabase]:
    """The bench's database, empty, for the block's duration; dropped afterwards."""
    import psycopg

    database = bench_database(os.environ.get("DATABASE_URL", ""), label)
    try:
        admin = psycopg.connect(database.admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise PostgresUnavailable(
            f"PostgreSQL is unreachable ({exc}): bench_{label} could not run"
        ) from exc
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database.name}"')
        try:
            yield database
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')


def bench_var_dir(label: str) -> Path:
    """The bench's own directory under VAR_DIR, emptied."""
    var_dir = settings.VAR_DIR / "bench" / label
    shutil.rmtree(var_dir, ignore_errors=True)
    return var_dir


def run_migrated(var_dir: Path, env: dict[str, str], module: str, *args, timeout: int) -> str:
    """Migrates the database `env` names, then runs `python -m module args` with it: the
    worker's output (its measurements as JSON)."""
    worker = EmbeddedServer(var_dir, env=env)
    worker.run("manage.py", "migrate", "--noinput")
    return worker.run("-m", module, *(str(arg) for arg in args), timeout=timeout)


def run_worker(label: str, module: str, *args, timeout: int = 1800) -> tuple[str, Path]:
    """`run_migrated` in a fresh database of the bench's: (the output, the bench's directory)."""
    var_dir = bench_var_dir(label)
    with fresh_database(label) as database:
        output = run_migrated(
            var_dir, {"DATABASE_URL": database.url}, module, *args, timeout=timeout
        )
    return output, var_dir
