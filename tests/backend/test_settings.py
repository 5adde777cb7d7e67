"""The settings: production passes Django's deploy check; the embedded default is tuned."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_the_deploy_check(tmp_path):
    """DJANGO_ENV=production with SECRET_KEY and ALLOWED_HOSTS passes check --deploy strictly."""
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="share.example.com",
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    """A production process with no SECRET_KEY stops with a clear message instead of running."""
    result = _manage(
        "check", DJANGO_ENV="production", ALLOWED_HOSTS="share.example.com", VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_embedded_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    """With no DATABASE_URL, SQLite runs in WAL mode, waits on locks and begins IMMEDIATE."""
    probe = (
        "from django.db import connection as c; cur = c.cursor();"
        "cur.execute('PRAGMA journal_mode'); print(cur.fetchone()[0]);"
        "cur.execute('PRAGMA busy_timeout'); print(cur.fetchone()[0]);"
        "print(c.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = _manage("shell", "--no-imports", "-c", probe, VAR_DIR=str(tmp_path / "new"))
    assert result.returncode == 0, result.stderr
    journal_mode, busy_timeout_ms, transaction_mode = result.stdout.split()
    assert journal_mode == "wal"
    assert int(busy_timeout_ms) >= 10_000
    assert transaction_mode == "IMMEDIATE"
