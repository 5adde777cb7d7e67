"""The realtime base: websocket auth, group joins, forwarding and sending after commit."""

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.test import Client
from django.urls import path
from rest_framework.authtoken.models import Token

from backend.realtime import routing
from backend.realtime.consumers import CLOSE_UNAUTHENTICATED, UserConsumer
from backend.realtime.send import send_to_user_on_commit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ALLOWED_ORIGIN = (b"origin", b"http://localhost")
NOTIFICATION = {"type": "notification.new", "kind": "follow", "actor": 7}


class ProbeConsumer(UserConsumer):
    """The smallest app consumer: the base's groups and forwarded types, nothing else."""


app = ProbeConsumer.as_asgi()


def probe(path: str = "/ws/probe/", *, headers=(), stack=True) -> WebsocketCommunicator:
    from backend.realtime.auth import TokenOrSessionAuthMiddlewareStack

    application = TokenOrSessionAuthMiddlewareStack(app) if stack else app
    return WebsocketCommunicator(application, path, headers=list(headers))


@pytest.fixture(autouse=True)
async def _close_sync_thread_connections():
    """The thread sync_to_async runs in keeps its own connection; close it after each test."""
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def token(user):
    return Token.objects.create(user=user).key


def send_and_commit(user_id: int, message: dict) -> None:
    with transaction.atomic():
        send_to_user_on_commit(user_id, message)


def send_and_roll_back(user_id: int, message: dict) -> None:
    with transaction.atomic():
        send_to_user_on_commit(user_id, message)
        transaction.set_rollback(True)


async def assert_refused_as_anonymous(communicator: WebsocketCommunicator) -> None:
    connected, code = await communicator.connect()
    assert not connected
    assert code == CLOSE_UNAUTHENTICATED
    await communicator.disconnect()


async def test_anonymous_socket_is_refused_at_the_handshake_with_4401():
    """A socket with neither session nor token never opens: the handshake is refused (4401)."""
    await assert_refused_as_anonymous(probe())


async def test_unknown_token_is_refused():
    """A token that matches no active user is treated as anonymous."""
    await assert_refused_as_anonymous(probe("/ws/probe/?token=not-a-token"))


async def test_token_in_query_signs_the_socket_in(user, token):
    """?token= with a valid token opens the socket and it receives the user's messages."""
    communicator = probe(f"/ws/probe/?token={token}")
    connected, _ = await communicator.connect()
    assert connected
    await sync_to_async(send_and_commit)(user.pk, NOTIFICATION)
    assert await communicator.receive_json_from() == NOTIFICATION
    await communicator.disconnect()


async def test_session_cookie_signs_the_socket_in(user):
    """A page's session cookie opens the socket without a token."""
    client = Client()
    await sync_to_async(client.force_login)(user)
    name = django_settings.SESSION_COOKIE_NAME
    cookie = f"{name}={client.cookies[name].value}"
    communicator = probe(headers=[(b"cookie", cookie.encode())])
    connected, _ = await communicator.connect()
    assert connected
    await sync_to_async(send_and_commit)(user.pk, NOTIFICATION)
    assert await communicator.receive_json_from() == NOTIFICATION
    await communicator.disconnect()


async def test_message_arrives_only_after_commit(user, token):
    """Sent inside a transaction, the message waits for the commit."""
    communicator = probe(f"/ws/probe/?token={token}")
    await communicator.connect()
    # One thread holds the transaction open across the awaits (sync_to_async is thread-sensitive).
    atomic = transaction.atomic()
    await sync_to_async(atomic.__enter__)()
    try:
        await sync_to_async(send_to_user_on_commit)(user.pk, NOTIFICATION)
        nothing_before_commit = await communicator.receive_nothing(timeout=0.2)
    finally:
        await sync_to_async(atomic.__exit__)(None, None, None)
    assert nothing_before_commit
    assert await communicator.receive_json_from() == NOTIFICATION
    await communicator.disconnect()


async def test_nothing_arrives_after_a_rollback(user, token):
    """A message sent in a transaction that rolls back is never delivered."""
    communicator = probe(f"/ws/probe/?token={token}")
    await communicator.connect()
    await sync_to_async(send_and_roll_back)(user.pk, NOTIFICATION)
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_a_user_receives_only_their_own_messages(user, token):
    """A message for another user does not reach this user's socket."""
    other = await sync_to_async(UserFactory)()
    communicator = probe(f"/ws/probe/?token={token}")
    await communicator.connect()
    await sync_to_async(send_and_commit)(other.pk, NOTIFICATION)
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_unknown_message_types_and_bad_frames_keep_the_socket_open(user, token):
    """A group message nobody forwards is dropped, a non-JSON frame ignored; the socket lives."""
    communicator = probe(f"/ws/probe/?token={token}")
    await communicator.connect()
    await sync_to_async(send_and_commit)(user.pk, {"type": "internal.thing", "secret": 1})
    await communicator.send_to(text_data="{not json")
    assert await communicator.receive_nothing(timeout=0.2)
    await sync_to_async(send_and_commit)(user.pk, NOTIFICATION)
    assert await communicator.receive_json_from() == NOTIFICATION
    await communicator.disconnect()


def test_send_refuses_a_message_that_is_not_plain_json():
    """A message without a string type, or with values JSON cannot carry, is refused at once."""
    with pytest.raises(ValueError, match="type"):
        send_to_user_on_commit(1, {"kind": "follow"})
    with pytest.raises(ValueError, match="JSON"):
        send_to_user_on_commit(1, {"type": "notification.new", "at": object()})


@pytest.fixture
def probe_route():
    """The probe routed at /ws/probe/ inside the real asgi.application.

    URLRouter reads the very list routing.py exports, so the route is added to it for the test.
    """
    route = path("ws/probe/", app)
    routing.websocket_urlpatterns.append(route)
    yield
    routing.websocket_urlpatterns.remove(route)


async def test_full_application_accepts_an_allowed_origin(probe_route, user, token):
    """Through asgi.application, an allowed Origin with a token gets a working socket."""
    from asgi import application

    communicator = WebsocketCommunicator(
        application, f"/ws/probe/?token={token}", headers=[ALLOWED_ORIGIN]
    )
    connected, _ = await communicator.connect()
    assert connected
    await sync_to_async(send_and_commit)(user.pk, NOTIFICATION)
    assert await communicator.receive_json_from() == NOTIFICATION
    await communicator.disconnect()


@pytest.mark.parametrize(
    "headers", [[(b"origin", b"https://evil.example")], []], ids=["foreign", "missing"]
)
async def test_full_application_refuses_a_foreign_origin(probe_route, token, headers):
    """Through asgi.application, a foreign or missing Origin is refused before any consumer."""
    from asgi import application

    communicator = WebsocketCommunicator(application, f"/ws/probe/?token={token}", headers=headers)
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()


@pytest.mark.services("redis")
async def test_messages_cross_the_redis_channel_layer(settings, user, token):
    """On the Redis channel layer a message sent after commit reaches the user's socket."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [settings.REDIS_URL], "prefix": f"test-{uuid.uuid4().hex}"},
        }
    }
    communicator = probe(f"/ws/probe/?token={token}")
    connected, _ = await communicator.connect()
    assert connected
    await sync_to_async(send_and_roll_back)(user.pk, {"type": "notification.new", "n": 0})
    await sync_to_async(send_and_commit)(user.pk, NOTIFICATION)
    assert await communicator.receive_json_from(timeout=5) == NOTIFICATION
    await communicator.disconnect()
