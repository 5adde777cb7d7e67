"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every test under tests/e2e is marked `e2e`, so the ordinary suite (whose addopts deselect e2e)
never starts a browser; run them on their own, as `make test-e2e` does:

    DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest -m e2e tests/e2e

`playwright install` cannot download here, hence the system Chromium (`make browser`).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MOBILE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 860}}
E2E_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the marker must be on before `-m` deselects.
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        raise pytest.UsageError(f"{CHROMIUM} not found: run `make browser` (Debian's chromium).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def _sync_orm_beside_playwright():
    """Sync Playwright runs an event loop in this thread; the ORM must be allowed beside it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def mobile(new_context):
    """A page in a phone-sized context (390×844, touch)."""
    return new_context(**MOBILE).new_page()


@pytest.fixture
def desktop(new_context):
    """A page in a wide-screen context (1280×860)."""
    return new_context(**DESKTOP).new_page()


@pytest.fixture
def sign_in(live_server):
    """sign_in(context, user): the browser context carries a session for `user`."""

    def _sign_in(context, user) -> None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return _sign_in


@pytest.fixture
def outside_requests():
    """watch(page) -> a list filled with every request URL that leaves the live server."""

    def _watch(page) -> list[str]:
        outside: list[str] = []

        def record(url: str) -> None:
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob", "about"}:
                return
            if parts.hostname not in {"127.0.0.1", "localhost"}:
                outside.append(url)

        page.on("request", lambda request: record(request.url))
        page.on("websocket", lambda socket: record(socket.url))
        return outside

    return _watch


@pytest.fixture
def screenshots_dir() -> Path:
    """Where the design screenshots go (VAR_DIR/screenshots): look at them after a change."""
    path = Path(settings.VAR_DIR) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
