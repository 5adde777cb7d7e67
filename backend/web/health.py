"""What /healthz reports: one probe per piece the app cannot serve without.

Each probe returns a short state ("ok", or "eager" for a broker that is not used) or raises;
`health_report` turns a raised error into "error" so a load balancer reads the failing part
and nobody reads a traceback. The errors themselves go to the log.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from backend.celery import app as celery_app

logger = logging.getLogger(__name__)

# Short enough that a probe of a dead broker answers well inside a load balancer's timeout.
BROKER_TIMEOUT_SECONDS = 2.0


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 answered something else")
    return "ok"


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    try:
        if cache.get(key) != "1":
            raise RuntimeError("the cache did not return what was just set")
    finally:
        cache.delete(key)
    return "ok"


def check_broker() -> str:
    # In-process tasks never touch the broker, so its absence is not a fault.
    if celery_app.conf.task_always_eager:
        return "eager"
    with celery_app.connection_for_write(connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(
            max_retries=1,
            interval_start=0,
            interval_step=0.2,
            timeout=BROKER_TIMEOUT_SECONDS,
        )
    return "ok"


def check_storage() -> str:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
}


def health_report() -> tuple[bool, dict[str, str]]:
    """Runs every probe; (healthy, {"status": "ok"|"degraded", "<part>": state, ...})."""
    parts: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            parts[name] = check()
        except Exception:
            logger.exception("health check %s failed", name)
            parts[name] = "error"
    healthy = "error" not in parts.values()
    return healthy, {"status": "ok" if healthy else "degraded", **parts}
