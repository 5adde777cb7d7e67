"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every test under tests/e2e is marked `e2e`, so the ordinary suite (whose addopts deselect e2e)
never starts a browser; run them on their own, as `make test-e2e` does:

    DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest -m e2e tests/e2e

`playwright install` cannot download here, hence the system Chromium (`make browser`).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
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


@dataclass(frozen=True)
class AsgiLiveServer:
    url: str

    def sign_in(self, context, user) -> None:
        """The browser context carries a session for `user` on this server."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.url}]
        )


@pytest.fixture
def asgi_live_server(transactional_db, settings, monkeypatch):
    """The whole ASGI application (HTTP, static files and websockets) served by uvicorn in a
    thread of the test process, on the test database, for pages that need their socket.

    pytest-django's live_server speaks WSGI only. In this process, the in-memory channel layer
    is the one the tests' own actions send to (a post published by the test reaches the
    browser's socket), so no Redis is needed. Rows the test makes are committed
    (transactional_db) and so visible to the server's threads.
    """
    import uvicorn
    from channels.routing import ProtocolTypeRouter
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    import asgi

    # The server's threads must not keep connections open past their request: the test
    # database is flushed (and on PostgreSQL dropped) after the test.
    for connection in connections.all():
        monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    application = ProtocolTypeRouter(
        {
            # Static files from the apps' folders, as live_server serves them (no collectstatic).
            "http": ASGIStaticFilesHandler(asgi.django_asgi_app),
            "websocket": asgi.application.application_mapping["websocket"],
        }
    )
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        application, lifespan="off", log_level="warning", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="asgi-live-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("The ASGI live server did not start.")
        time.sleep(0.02)
    yield AsgiLiveServer(url=f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()


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
