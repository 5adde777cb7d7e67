"""The Redis timeline store's own policy (feed.redis_store, feed.fanout): what fan-out writes
where, the cap, who is skipped, the activity marker, the merged authors, backfill on follow,
and a page's fixed cost. The pages themselves are compared with the database store's in
test_stores_agree.py."""

from __future__ import annotations

import time
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.accounts import services as accounts
from feed import fanout, redis_store
from feed.errors import InvalidCursor
from feed.store import DatabaseTimelineStore, timeline_store
from feed.timeline import home_cards
from posts import services as posts
from tests.factories import FollowFactory, MuteFactory, UserFactory
from tests.factories_commerce import ProductFactory, SKUFactory
from tests.factories_posts import PostFactory, PostMediaFactory, ProductTagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.services("redis")]


@pytest.fixture(autouse=True)
def redis_store_on(settings):
    """The Redis store, under a key prefix of this test's own (removed afterwards)."""
    settings.FEED_STORE = "redis"
    settings.FEED_KEY_PREFIX = prefix = f"test-{uuid.uuid4().hex}"
    client = redis_store.client()
    yield
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def _publish(act, author, visibility="public"):
    return act(
        posts.post_create,
        author=author,
        text="Fresh lychees",
        media_ids=[],
        visibility=visibility,
        status="published",
    )


def _timeline(user) -> list[int]:
    client = redis_store.client()
    return [int(member) for member in client.zrevrange(redis_store.Keys.timeline(user.pk), 0, -1)]


def _read(user):
    return timeline_store().home_page(user, cursor=None, limit=20)


def test_fan_out_reaches_every_active_follower_in_batches_and_skips_the_inactive(act, settings):
    """Five followers in batches of two: the four who read their home get the post (and the
    author), the one who never did gets nothing and no key."""
    settings.FEED_FANOUT_BATCH = 2
    author = UserFactory()
    readers = UserFactory.create_batch(4)
    away = UserFactory()
    for follower in [*readers, away]:
        FollowFactory(follower=follower, followee=author)
    for user in [author, *readers]:
        _read(user)

    post = _publish(act, author)

    for user in [author, *readers]:
        assert _timeline(user) == [post.pk]
    assert not redis_store.client().exists(redis_store.Keys.timeline(away.pk))


def test_fan_out_walks_every_batch(settings):
    settings.FEED_FANOUT_BATCH = 3
    author = UserFactory()
    followers = UserFactory.create_batch(7)
    for follower in followers:
        FollowFactory(follower=follower, followee=author)

    batches = list(fanout.follower_batches(author.pk, 3))

    assert [len(batch) for batch in batches] == [3, 3, 1]
    assert sorted(i for batch in batches for i in batch) == sorted(f.pk for f in followers)


def test_a_timeline_keeps_only_the_newest_cap_posts(act, settings):
    settings.FEED_TIMELINE_CAP = 3
    viewer, author = UserFactory.create_batch(2)
    FollowFactory(follower=viewer, followee=author)
    _read(viewer)

    published = [_publish(act, author).pk for _ in range(5)]

    assert _timeline(viewer) == list(reversed(published))[:3]
    # The page ends where the capped timeline ends, as the cap means.
    page = _read(viewer)
    assert [post.pk for post in page.posts] == list(reversed(published))[:3]
    assert page.next_cursor is None


def test_publishing_only_queues_the_fan_out(monkeypatch, django_capture_on_commit_callbacks):
    """The author's request does no fan-out work: the handler queues the task after commit."""
    queued = []
    monkeypatch.setattr(fanout.fan_out_post, "delay", queued.append)
    author = UserFactory()
    followers = UserFactory.create_batch(3)
    for follower in followers:
        FollowFactory(follower=follower, followee=author)
        _read(follower)

    with django_capture_on_commit_callbacks(execute=True):
        post = posts.post_create(
            author=author, text="hi", media_ids=[], visibility="public", status="published"
        )

    assert queued == [post.pk]
    assert all(not _timeline(follower) for follower in followers)


def test_a_deleted_post_is_not_fanned_out():
    viewer, author = UserFactory.create_batch(2)
    FollowFactory(follower=viewer, followee=author)
    _read(viewer)
    post = PostFactory(author=author, deleted_at=timezone.now())

    assert fanout.fan_out_post(post.pk) == 0
    assert _timeline(viewer) == []


def test_an_author_with_many_followers_is_marked_merged_once(act, settings):
    settings.FEED_MERGE_FOLLOWERS = 2
    star = UserFactory()
    fans = UserFactory.create_batch(2)
    for fan in fans:
        FollowFactory(follower=fan, followee=star)
        _read(fan)

    post = _publish(act, star)

    assert redis_store.is_merged(star.pk)
    assert all(_timeline(fan) == [] for fan in fans)
    assert all([p.pk for p in _read(fan).posts] == [post.pk] for fan in fans)


def test_the_activity_marker_is_refreshed_at_most_once_an_hour_and_the_timeline_expires_with_it():
    viewer = UserFactory()
    client = redis_store.client()
    active = redis_store.Keys.active(viewer.pk)
    _read(viewer)
    first = client.get(active)
    assert first is not None
    assert client.ttl(active) > 6 * 24 * 3600

    _read(viewer)
    assert client.get(active) == first

    stale = int(time.time()) - redis_store.TOUCH_SECONDS - 1
    client.set(active, stale, ex=60)
    _read(viewer)
    assert int(client.get(active)) > stale
    assert client.ttl(active) > 6 * 24 * 3600


def test_the_timeline_expires_with_the_marker(act):
    viewer, author = UserFactory.create_batch(2)
    FollowFactory(follower=viewer, followee=author)
    _read(viewer)
    client = redis_store.client()
    client.expire(redis_store.Keys.active(viewer.pk), 100)

    _publish(act, author)

    assert 0 < client.ttl(redis_store.Keys.timeline(viewer.pk)) <= 100


def test_a_new_follow_backfills_the_followees_recent_posts(act):
    viewer, author = UserFactory.create_batch(2)
    earlier = [PostFactory(author=author).pk for _ in range(3)]
    PostFactory(author=author, status="draft", published_at=None)
    _read(viewer)

    act(accounts.user_follow, follower=viewer, followee=author)

    assert _timeline(viewer) == list(reversed(earlier))


def test_a_cursor_the_store_did_not_give_is_refused():
    viewer = UserFactory()

    with pytest.raises(InvalidCursor):
        timeline_store().home_page(viewer, cursor="bogus!", limit=10)


def _rich_posts(author, count: int) -> None:
    product = ProductFactory()
    SKUFactory(product=product)
    for _ in range(count):
        post = PostFactory(author=author)
        PostMediaFactory(post=post)
        ProductTagFactory(post=post, product=product)


def _queries_for(viewer, count: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        page = home_cards(viewer, cursor=None, limit=count)
    assert len(page.cards) == count
    return len(captured)


def test_a_redis_store_home_page_costs_at_most_three_queries_whatever_its_length(settings):
    """Ten cards or fifty, with a merged author among the followees: the same ≤ 3 queries (the
    filtered posts with their authors and the viewer's flags, then the cards' batch reads)."""
    settings.FEED_MERGE_FOLLOWERS = 1
    viewer = UserFactory()
    authors = UserFactory.create_batch(5)
    for author in authors:
        FollowFactory(follower=viewer, followee=author)
        _rich_posts(author, 12)
    redis_store.mark_merged(authors[0].pk)
    _read(viewer)  # the first read builds the timeline

    ten, fifty = _queries_for(viewer, 10), _queries_for(viewer, 50)

    assert ten == fifty
    assert fifty <= 3


def test_without_redis_the_page_is_read_from_the_database(settings):
    """Redis down: the same page from the posts table, not an error."""
    viewer, author = UserFactory.create_batch(2)
    FollowFactory(follower=viewer, followee=author)
    post = PostFactory(author=author)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there

    assert [p.pk for p in _read(viewer).posts] == [post.pk]


def _all_pages(store, viewer, limit: int) -> list[list[int]]:
    pages, cursor = [], None
    for _ in range(100):
        page = store.home_page(viewer, cursor=cursor, limit=limit)
        pages.append([post.pk for post in page.posts])
        cursor = page.next_cursor
        if cursor is None:
            return pages
    raise AssertionError("the pages never ended")


def test_a_page_that_cannot_fill_within_its_reads_ends_early_and_the_next_goes_on():
    """Seventy muted posts above the two visible ones: the first page gives up after its
    bounded reads with a cursor below them, and paging on finds the rest, none twice."""
    viewer, loud, quiet = UserFactory.create_batch(3)
    for author in (loud, quiet):
        FollowFactory(follower=viewer, followee=author)
    shown = [PostFactory(author=quiet).pk for _ in range(2)]
    for _ in range(70):
        PostFactory(author=loud)
    MuteFactory(muter=viewer, muted=loud)

    pages = _all_pages(timeline_store(), viewer, limit=1)

    assert pages[0] == []
    assert [post_id for page in pages for post_id in page] == list(reversed(shown))


def test_posts_sharing_one_timestamp_page_like_the_database_store():
    """Thirty posts in one microsecond: ids break the tie, in the sets as in the table."""
    viewer, author = UserFactory.create_batch(2)
    FollowFactory(follower=viewer, followee=author)
    moment = timezone.now()
    for _ in range(30):
        PostFactory(author=author, published_at=moment)

    redis_pages = _all_pages(timeline_store(), viewer, limit=5)

    assert redis_pages == _all_pages(DatabaseTimelineStore(), viewer, limit=5)
    assert len(redis_pages) == 6
