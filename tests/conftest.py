"""Suite-wide fixtures and the `services` marker.

`@pytest.mark.services("postgres")` / `("redis")` marks a test that needs a real service. It is
skipped when the service is not configured (DATABASE_URL / REDIS_URL); with REQUIRE_SERVICES=1
(CI's services run) any skip fails the run instead.
"""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from backend.celery import app as celery_app

# Tests run tasks in-process whatever the broker; the dispatch path is tested on its own.
celery_app.conf.task_always_eager = True
celery_app.conf.task_eager_propagates = True

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _available(service: str) -> bool:
    if service == "postgres":
        return connection.vendor == "postgresql"
    if service == "redis":
        return bool(settings.REDIS_URL)
    raise ValueError(f"unknown service {service!r}")


def pytest_runtest_setup(item):
    marker = item.get_closest_marker("services")
    if marker is None:
        return
    for service in marker.args or ("postgres", "redis"):
        if not _available(service):
            pytest.skip(f"needs {service}")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    if REQUIRE_SERVICES and skipped:
        terminalreporter.write_line(
            f"REQUIRE_SERVICES=1 but {len(skipped)} test(s) were skipped: failing the run.",
            red=True,
        )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if REQUIRE_SERVICES and skipped and exitstatus == 0:
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached lookups never leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
