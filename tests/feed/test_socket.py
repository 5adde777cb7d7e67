"""`/ws/notifications/` through the real asgi.application: the unread count on connect, a
notification within a second of the action (in-memory and Redis channel layers), refusals at
the handshake, and nobody hearing anyone else's notifications."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from rest_framework.authtoken.models import Token

from backend.accounts import services as accounts
from backend.realtime.consumers import CLOSE_UNAUTHENTICATED
from posts import services as posts
from tests.factories import UserFactory
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/notifications/"
ALLOWED_ORIGIN = (b"origin", b"http://localhost")


@pytest.fixture(autouse=True)
async def _close_sync_thread_connections():
    """The thread sync_to_async runs in keeps its own connection; close it after each test."""
    yield
    await sync_to_async(connections.close_all)()


def _pair():
    ann = UserFactory(username="ann", display_name="Ann")
    bo = UserFactory(username="bo", display_name="Bo")
    return ann, bo, Token.objects.create(user=ann).key, Token.objects.create(user=bo).key


@pytest.fixture
async def pair():
    """Ann and Bo with their tokens."""
    return await sync_to_async(_pair)()


def socket(query: str = "", headers=(ALLOWED_ORIGIN,)) -> WebsocketCommunicator:
    from asgi import application

    return WebsocketCommunicator(application, f"{PATH}{query}", headers=list(headers))


async def open_socket(token: str) -> WebsocketCommunicator:
    communicator = socket(f"?token={token}")
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_the_unread_count_arrives_on_connect(pair):
    """The first message of a new socket is the user's unread count."""
    _ann, _bo, ann_token, _ = pair
    communicator = await open_socket(ann_token)

    assert await communicator.receive_json_from(timeout=1) == {"type": "unread", "count": 0}
    await communicator.disconnect()


async def _follow_arrives(token: str, actor, target) -> None:
    communicator = await open_socket(token)
    await communicator.receive_json_from(timeout=1)

    await sync_to_async(accounts.user_follow)(follower=actor, followee=target)

    message = await communicator.receive_json_from(timeout=1)
    assert message["type"] == "notification"
    assert message["message"] == "Bo followed you"
    assert message["unread"] == 1
    assert message["notification"]["kind"] == "follow"
    await communicator.disconnect()


async def test_a_notification_arrives_within_a_second(pair):
    """Bo follows Ann: Ann's open socket gets the notification within one second."""
    ann, bo, ann_token, _ = pair
    await _follow_arrives(ann_token, bo, ann)


@pytest.mark.services("redis")
async def test_a_notification_arrives_within_a_second_over_redis(settings, pair):
    """The same over the Redis channel layer."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [settings.REDIS_URL], "prefix": f"test-{uuid.uuid4().hex}"},
        }
    }
    ann, bo, ann_token, _ = pair
    await _follow_arrives(ann_token, bo, ann)


async def test_a_session_cookie_opens_the_socket(pair):
    """A page's session cookie signs the socket in as well as a token does."""
    ann, *_ = pair
    client = Client()
    await sync_to_async(client.force_login)(ann)
    name = django_settings.SESSION_COOKIE_NAME
    cookie = (b"cookie", f"{name}={client.cookies[name].value}".encode())
    communicator = socket(headers=[ALLOWED_ORIGIN, cookie])

    connected, _ = await communicator.connect()

    assert connected
    assert await communicator.receive_json_from(timeout=1) == {"type": "unread", "count": 0}
    await communicator.disconnect()


@pytest.mark.parametrize("query", ["", "?token=not-a-token"], ids=["no-credentials", "bad-token"])
async def test_an_unauthenticated_socket_is_refused_at_the_handshake(db, query):
    """Without a valid session or token the socket never opens (closed with 4401)."""
    communicator = socket(query)

    connected, code = await communicator.connect()

    assert not connected
    assert code == CLOSE_UNAUTHENTICATED
    await communicator.disconnect()


@pytest.mark.parametrize(
    "headers", [[(b"origin", b"https://evil.example")], []], ids=["foreign", "missing"]
)
async def test_a_foreign_origin_is_refused_at_the_handshake(pair, headers):
    """A page on another site cannot open a signed-in socket, even with a valid token."""
    _ann, _bo, ann_token, _ = pair
    communicator = socket(f"?token={ann_token}", headers=headers)

    connected, _ = await communicator.connect()

    assert not connected
    await communicator.disconnect()


async def test_nobody_receives_another_users_notification(pair):
    """Bo's like notifies Ann's socket only; Bo's own open socket hears nothing."""
    ann, bo, ann_token, bo_token = pair
    post = await sync_to_async(PostFactory)(author=ann)
    ann_socket, bo_socket = await open_socket(ann_token), await open_socket(bo_token)
    await ann_socket.receive_json_from(timeout=1)
    await bo_socket.receive_json_from(timeout=1)

    await sync_to_async(posts.post_like)(user=bo, post=post)

    assert (await ann_socket.receive_json_from(timeout=1))["message"] == "Bo liked your post"
    assert await bo_socket.receive_nothing(timeout=0.3)
    await ann_socket.disconnect()
    await bo_socket.disconnect()


async def test_new_post_messages_are_forwarded(pair):
    """`feed.new_post` messages sent to a user reach their socket as they were sent."""
    from backend.realtime.send import send_to_user_on_commit

    ann, _bo, ann_token, _ = pair
    communicator = await open_socket(ann_token)
    await communicator.receive_json_from(timeout=1)
    message = {
        "type": "feed.new_post",
        "post": 7,
        "author": {"username": "bo", "display_name": "Bo", "avatar": None},
    }

    await sync_to_async(send_to_user_on_commit)(ann.pk, message)

    assert await communicator.receive_json_from(timeout=1) == message
    await communicator.disconnect()
