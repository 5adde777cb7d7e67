"""The notifications tests' people, event delivery through the real dispatcher, and a record
of what was pushed to which socket group."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from backend.accounts.models import User
from backend.events import registry
from backend.events.services import publish
from backend.realtime import send
from feed.notifications import subscriptions
from tests.factories import UserFactory


@dataclass
class People:
    ann: User
    bo: User
    cy: User
    dee: User
    eve: User


@pytest.fixture
def people(db) -> People:
    return People(
        ann=UserFactory(username="ann", display_name="Ann"),
        bo=UserFactory(username="bo", display_name="Bo"),
        cy=UserFactory(username="cy", display_name="Cy"),
        dee=UserFactory(username="dee", display_name="Dee"),
        eve=UserFactory(username="eve", display_name="Eve"),
    )


@pytest.fixture(autouse=True)
def only_notification_handlers(monkeypatch):
    """Events reach the notification handlers alone: the shop's and the shoplinks' own handlers
    would need whole orders behind the events these tests publish."""
    monkeypatch.setattr(registry, "_subscriptions", {})
    subscriptions.register()


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """deliver(action, *args, **kwargs): run the action and deliver what it published (the
    handlers run after its commit, and their pushes after theirs)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def emit(deliver):
    """emit(name, payload): publish an event as its app would, and deliver it."""
    return lambda name, payload: deliver(publish, name, payload)


@pytest.fixture
def pushed(monkeypatch) -> list[tuple[str, dict]]:
    """(group, message) of everything sent to sockets, in order."""
    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(send, "_send", lambda group, message: sent.append((group, message)))
    return sent


@pytest.fixture
def client_of():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make
