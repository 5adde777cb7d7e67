"""Fixtures for the accounts tests: events seen by handlers, signed-in API clients, pictures."""

from io import BytesIO

import pytest
from PIL import Image
from rest_framework.test import APIClient

from backend.accounts import services
from backend.events import registry
from backend.events.registry import subscribe

WATCHED_EVENTS = ("user.signed_in", "user.followed", "user.deleted")


@pytest.fixture
def delivered(monkeypatch):
    """(name, payload) of every watched event delivered to a handler. Delivery follows the
    commit: wrap the action in `django_capture_on_commit_callbacks(execute=True)`. The apps' own
    handlers are set aside for the test."""
    monkeypatch.setattr(registry, "_subscriptions", {})
    seen: list[tuple[str, dict]] = []

    def record(event) -> None:
        seen.append((event.name, event.payload))

    for name in WATCHED_EVENTS:
        subscribe(name, record, key=f"tests.accounts.{name}")
    return seen


@pytest.fixture
def client_for():
    """client_for(user): an API client sending that user's token."""

    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {services.user_token(user=user)}")
        return client

    return make


def picture(fmt: str = "PNG", size=(40, 30), exif: bytes | None = None) -> BytesIO:
    """An in-memory picture file, optionally carrying EXIF bytes."""
    buffer = BytesIO()
    extra = {"exif": exif} if exif else {}
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=fmt, **extra)
    buffer.seek(0)
    buffer.name = f"pic.{fmt.lower()}"
    return buffer
