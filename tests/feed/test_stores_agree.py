"""The two timeline stores answer the same: one scenario, run on the database store and on the
Redis store, gives the same pages at every step (follow, publish, unfollow, block, mute,
delete, hide, visibility change, a follower-heavy author merged at read time, an inactive user
rebuilt on return, paging while posts arrive). On the Redis store every step is also compared
with the database store's answer at that moment.

The actions go through the real services and their events (fan-out included), committed as a
request would commit them."""

from __future__ import annotations

import datetime
import time
import uuid

import pytest
from django.utils import timezone

from backend.accounts import services as accounts
from feed import redis_store
from feed.store import DatabaseTimelineStore, timeline_store
from posts import events as post_events
from posts import services as posts
from posts.models import Post
from tests.factories import CloseFriendFactory, FollowFactory, UserFactory
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(
    params=["database", pytest.param("redis", marks=pytest.mark.services("redis"))],
)
def store(request, settings):
    """The store under test, with its own Redis key prefix (removed afterwards)."""
    settings.FEED_STORE = request.param
    settings.FEED_KEY_PREFIX = f"test-{uuid.uuid4().hex}"
    yield request.param
    if request.param == "redis":
        client = redis_store.client()
        keys = list(client.scan_iter(match=f"{settings.FEED_KEY_PREFIX}:*"))
        if keys:
            client.delete(*keys)


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Runs an action as a request does: committed, then its events handled (fan-out)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def _pages(store_or_none, viewer, *, limit: int) -> list[list[int]]:
    store = store_or_none or timeline_store()
    pages, cursor = [], None
    for _ in range(100):
        page = store.home_page(viewer, cursor=cursor, limit=limit)
        pages.append([post.pk for post in page.posts])
        cursor = page.next_cursor
        if cursor is None:
            return pages
    raise AssertionError("the pages never ended")


def _home(viewer, *, limit: int = 2) -> list[list[int]]:
    """The viewer's pages on the store in use, checked against the database store's."""
    pages = _pages(None, viewer, limit=limit)
    assert pages == _pages(DatabaseTimelineStore(), viewer, limit=limit)
    return pages


def _flat(pages) -> list[int]:
    return [post_id for page in pages for post_id in page]


def _publish(act, author, visibility="public"):
    return act(
        posts.post_create,
        author=author,
        text="Mangoes are in",
        media_ids=[],
        visibility=visibility,
        status="published",
    )


def test_follow_publish_unfollow_mute_delete_hide_and_visibility_agree(store, act):
    viewer, ana, bo, cy = UserFactory.create_batch(4)
    assert _home(viewer) == [[]]  # the first read (a Redis timeline is built here)
    act(accounts.user_follow, follower=viewer, followee=ana)
    act(accounts.user_follow, follower=viewer, followee=bo)
    a1 = _publish(act, ana)
    b1 = _publish(act, bo, "followers")
    c1 = _publish(act, cy)
    mine = _publish(act, viewer, "close_friends")
    assert _home(viewer) == [[mine.pk, b1.pk], [a1.pk]]

    # A new follow brings the followee's earlier posts.
    act(accounts.user_follow, follower=viewer, followee=cy)
    assert _flat(_home(viewer)) == [mine.pk, c1.pk, b1.pk, a1.pk]

    act(accounts.user_unfollow, follower=viewer, followee=bo)
    assert _flat(_home(viewer)) == [mine.pk, c1.pk, a1.pk]

    act(accounts.user_mute, muter=viewer, muted=cy)
    assert _flat(_home(viewer)) == [mine.pk, a1.pk]
    act(accounts.user_unmute, muter=viewer, muted=cy)
    assert _flat(_home(viewer)) == [mine.pk, c1.pk, a1.pk]

    act(posts.post_delete, post=c1, actor=cy)
    assert _flat(_home(viewer)) == [mine.pk, a1.pk]

    # Close friends only, then opened to everyone by its author.
    a2 = _publish(act, ana, "close_friends")
    assert _flat(_home(viewer)) == [mine.pk, a1.pk]
    act(posts.post_update, post=a2, actor=ana, visibility="public")
    assert _flat(_home(viewer)) == [a2.pk, mine.pk, a1.pk]

    # Hidden by moderation.
    Post.objects.filter(pk=a1.pk).update(hidden_at=timezone.now())
    assert _flat(_home(viewer)) == [a2.pk, mine.pk]


def test_a_block_either_way_takes_the_authors_posts_off_at_once(store, act):
    viewer, ana, bo = UserFactory.create_batch(3)
    _home(viewer)
    for author in (ana, bo):
        act(accounts.user_follow, follower=viewer, followee=author)
    a1, b1 = _publish(act, ana), _publish(act, bo)
    assert _flat(_home(viewer)) == [b1.pk, a1.pk]

    act(accounts.user_block, blocker=ana, blocked=viewer)
    assert _flat(_home(viewer)) == [b1.pk]
    act(accounts.user_block, blocker=viewer, blocked=bo)
    assert _home(viewer) == [[]]


def test_a_follower_heavy_author_is_merged_at_read_time(store, act, settings):
    settings.FEED_MERGE_FOLLOWERS = 3
    viewer, star, friend = UserFactory.create_batch(3)
    _home(viewer)
    act(accounts.user_follow, follower=viewer, followee=star)
    act(accounts.user_follow, follower=viewer, followee=friend)
    for fan in UserFactory.create_batch(2):
        act(accounts.user_follow, follower=fan, followee=star)
    s1 = _publish(act, star)
    f1 = _publish(act, friend)
    s2 = _publish(act, star, "followers")
    f2 = _publish(act, friend)
    s3 = _publish(act, star, "friends")  # the viewer is no friend of the star's

    assert _home(viewer) == [[f2.pk, s2.pk], [f1.pk, s1.pk]]
    assert _home(viewer, limit=3) == [[f2.pk, s2.pk, f1.pk], [s1.pk]]
    if store == "redis":
        # Merged, not fanned out: the star's posts are in no follower's set.
        timeline = {int(m) for m in redis_store.client().zrange(_key(viewer), 0, -1)}
        assert timeline == {f1.pk, f2.pk}
        assert redis_store.is_merged(star.pk)
    act(accounts.user_unfollow, follower=viewer, followee=star)
    assert _flat(_home(viewer)) == [f2.pk, f1.pk]
    # The star's own home has all their posts, as anyone's does.
    assert _flat(_home(star)) == [s3.pk, s2.pk, s1.pk]


def _key(user) -> str:
    return redis_store.Keys.timeline(user.pk)


def _go_inactive(user) -> None:
    """What Redis does after FEED_INACTIVE_DAYS without a read: the marker and the timeline
    expire."""
    client = redis_store.client()
    client.pexpire(redis_store.Keys.active(user.pk), 1)
    client.pexpire(_key(user), 1)
    time.sleep(0.01)
    assert not client.exists(redis_store.Keys.active(user.pk), _key(user))


def test_an_inactive_user_is_skipped_by_fan_out_and_rebuilt_on_return(store, act):
    viewer, ana = UserFactory.create_batch(2)
    _home(viewer)
    act(accounts.user_follow, follower=viewer, followee=ana)
    a1 = _publish(act, ana)
    assert _flat(_home(viewer)) == [a1.pk]
    if store == "redis":
        _go_inactive(viewer)

    a2 = _publish(act, ana)
    a3 = _publish(act, ana, "followers")
    if store == "redis":
        assert not redis_store.client().exists(_key(viewer))  # skipped while away

    assert _home(viewer) == [[a3.pk, a2.pk], [a1.pk]]
    if store == "redis":
        assert redis_store.is_active(viewer.pk)
        assert redis_store.client().zcard(_key(viewer)) == 3


def test_paging_shows_every_post_once_while_new_posts_arrive(store, act):
    viewer = UserFactory()
    authors = UserFactory.create_batch(3)
    for author in authors:
        FollowFactory(follower=viewer, followee=author)
    start = timezone.now() - datetime.timedelta(days=1)
    existing = []
    for n in range(23):
        # Pairs share a timestamp: the id breaks the tie, and a page may end inside a pair.
        moment = start + datetime.timedelta(minutes=n // 2)
        existing.append(PostFactory(author=authors[n % 3], published_at=moment).pk)

    seen, cursor = [], None
    for _ in range(20):
        page = timeline_store().home_page(viewer, cursor=cursor, limit=4)
        seen += [post.pk for post in page.posts]
        # Friends keep posting while the viewer scrolls (announced as the services do).
        act(post_events.post_published, PostFactory(author=authors[0]))
        cursor = page.next_cursor
        if cursor is None:
            break

    assert seen == list(reversed(existing))


def test_pages_stay_full_when_most_ids_are_filtered_out(store, act):
    """A muted author's many posts sit in the set; the page reads further until it is full."""
    viewer, loud, quiet = UserFactory.create_batch(3)
    _home(viewer)
    act(accounts.user_follow, follower=viewer, followee=loud)
    act(accounts.user_follow, follower=viewer, followee=quiet)
    shown = [_publish(act, quiet).pk for _ in range(6)]
    for _ in range(40):
        _publish(act, loud)
    act(accounts.user_mute, muter=viewer, muted=loud)

    pages = _home(viewer, limit=5)
    assert pages == [list(reversed(shown))[:5], list(reversed(shown))[5:]]


def test_close_friends_posts_follow_the_list(store, act):
    viewer, ana = UserFactory.create_batch(2)
    _home(viewer)
    act(accounts.user_follow, follower=viewer, followee=ana)
    secret = _publish(act, ana, "close_friends")
    assert _home(viewer) == [[]]

    CloseFriendFactory(owner=ana, friend=viewer)
    assert _home(viewer) == [[secret.pk]]
