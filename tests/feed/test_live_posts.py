"""The "new posts" push (feed.live): when a post goes out, each follower of the author who may
see it gets `{"type": "feed.new_post", ...}` on their sockets; nobody else, never for a draft,
never to someone who muted or is blocked, close-friends posts only to close friends."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from backend.realtime.consumers import user_group
from feed import live
from posts import services
from tests.factories import (
    BlockFactory,
    CloseFriendFactory,
    FollowFactory,
    MuteFactory,
    UserFactory,
)
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """The user ids a feed.new_post message was sent to, with the messages."""
    calls: list[tuple[int, dict]] = []
    monkeypatch.setattr(live, "send_to_user_on_commit", lambda uid, msg: calls.append((uid, msg)))
    return calls


@pytest.fixture
def author():
    return UserFactory(username="bo", display_name="Bo")


def _publish(post) -> None:
    live.on_post_published(
        SimpleNamespace(pk=1, payload={"post": post.pk, "author": post.author_id})
    )


def _recipients(sent) -> set[int]:
    return {uid for uid, _ in sent}


def test_every_follower_gets_the_new_post_with_its_author(author, sent):
    """A public post is pushed to each follower, naming the post and its author."""
    fans = UserFactory.create_batch(3)
    for fan in fans:
        FollowFactory(follower=fan, followee=author)
    UserFactory()  # a stranger
    post = PostFactory(author=author)

    _publish(post)

    assert _recipients(sent) == {fan.pk for fan in fans}
    message = sent[0][1]
    assert message["type"] == "feed.new_post"
    assert message["post"] == post.pk
    assert message["author"]["username"] == "bo"
    assert message["author"]["display_name"] == "Bo"
    assert message["author"]["avatar"] is None


def test_people_who_muted_the_author_get_nothing(author, sent):
    """A follower who muted the author keeps the post out of their feed: no pill either."""
    fan, muter = UserFactory.create_batch(2)
    FollowFactory(follower=fan, followee=author)
    FollowFactory(follower=muter, followee=author)
    MuteFactory(muter=muter, muted=author)

    _publish(PostFactory(author=author))

    assert _recipients(sent) == {fan.pk}


def test_blocked_people_get_nothing_either_way(author, sent):
    """A follow left over beside a block (either direction) never carries a push."""
    fan, blocked, blocking = UserFactory.create_batch(3)
    for person in (fan, blocked, blocking):
        FollowFactory(follower=person, followee=author)
    BlockFactory(blocker=author, blocked=blocked)
    BlockFactory(blocker=blocking, blocked=author)

    _publish(PostFactory(author=author))

    assert _recipients(sent) == {fan.pk}


def test_friends_posts_go_only_to_friends(author, sent):
    """A friends-only post reaches followers the author follows back, not one-way fans."""
    friend, fan = UserFactory.create_batch(2)
    FollowFactory(follower=friend, followee=author)
    FollowFactory(follower=author, followee=friend)
    FollowFactory(follower=fan, followee=author)

    _publish(PostFactory(author=author, visibility="friends"))

    assert _recipients(sent) == {friend.pk}


def test_close_friends_posts_go_only_to_close_friends(author, sent):
    """A close-friends post reaches only followers on the author's close-friends list, not
    friends who are not on it."""
    close, friend = UserFactory.create_batch(2)
    for person in (close, friend):
        FollowFactory(follower=person, followee=author)
        FollowFactory(follower=author, followee=person)
    CloseFriendFactory(owner=author, friend=close)

    _publish(PostFactory(author=author, visibility="close_friends"))

    assert _recipients(sent) == {close.pk}


@pytest.mark.parametrize(
    "state",
    [{"status": "draft", "published_at": None}, {"deleted_at": "now"}, {"hidden_at": "now"}],
)
def test_a_post_that_is_not_out_any_more_tells_no_one(author, sent, state):
    """A draft, or a post deleted or hidden before the event was handled, pushes nothing."""
    FollowFactory(followee=author)
    fields = {key: timezone.now() if value == "now" else value for key, value in state.items()}

    _publish(PostFactory(author=author, **fields))

    assert sent == []


def test_a_deactivated_author_tells_no_one(author, sent):
    """Content of a deactivated account is visible to no one."""
    FollowFactory(followee=author)
    post = PostFactory(author=author)
    author.is_active = False
    author.save()

    _publish(post)

    assert sent == []


def _receive(channel: str, timeout: float = 1.0):
    layer = get_channel_layer()

    async def first():
        try:
            return await asyncio.wait_for(layer.receive(channel), timeout)
        except TimeoutError:
            return None

    return async_to_sync(first)()


def test_publishing_pushes_to_followers_sockets_after_commit(
    author, django_capture_on_commit_callbacks
):
    """Through the real event: a follower's socket group receives the message once the post's
    transaction commits; a stranger's receives nothing; a draft publishes no event at all."""
    fan, stranger = UserFactory.create_batch(2)
    FollowFactory(follower=fan, followee=author)
    layer = get_channel_layer()
    channels = {}
    for person in (fan, stranger):
        channels[person] = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(user_group(person.pk), channels[person])

    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(
            author=author, text="Draft first", media_ids=[], visibility="public", status="draft"
        )
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_create(
            author=author,
            text="Fresh mangoes",
            media_ids=[],
            visibility="public",
            status="published",
        )

    message = _receive(channels[fan])
    assert message["type"] == "feed.new_post"
    assert message["post"] == post.pk
    assert _receive(channels[fan], timeout=0.2) is None
    assert _receive(channels[stranger], timeout=0.2) is None
