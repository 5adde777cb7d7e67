"""The home timeline (GET feed/home and feed.timeline): whose posts, which of them, in what
order, page after page, at a fixed cost."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feed.cursors import Position, encode
from feed.timeline import home_cards
from tests.factories import (
    BlockFactory,
    CloseFriendFactory,
    FollowFactory,
    MuteFactory,
    UserFactory,
)
from tests.factories_commerce import ProductFactory, SKUFactory
from tests.factories_posts import PostFactory, PostMediaFactory, ProductTagFactory

pytestmark = pytest.mark.django_db

VISIBILITIES = ("public", "followers", "friends", "close_friends")


def _ids(viewer, *, limit=50, cursor=None) -> list[int]:
    return [card.id for card in home_cards(viewer, cursor=cursor, limit=limit).cards]


def _relate(viewer, author, relation: str) -> None:
    """Sets up `viewer`'s relation to `author`."""
    follows = relation in {
        "followee",
        "friend",
        "close_friend",
        "listed_followee",
        "muted",
        "blocked_by_viewer",
        "blocking_viewer",
        "deactivated",
    }
    if follows:
        FollowFactory(follower=viewer, followee=author)
    if relation in {"friend", "close_friend", "follower_only"}:
        FollowFactory(follower=author, followee=viewer)
    if relation in {"close_friend", "listed_followee", "listed_stranger"}:
        CloseFriendFactory(owner=author, friend=viewer)
    if relation == "muted":
        MuteFactory(muter=viewer, muted=author)
    if relation == "blocked_by_viewer":
        BlockFactory(blocker=viewer, blocked=author)
    if relation == "blocking_viewer":
        BlockFactory(blocker=author, blocked=viewer)
    if relation == "deactivated":
        author.is_active = False
        author.save(update_fields=["is_active"])


# Which of the author's published posts, by visibility, the viewer's home shows.
MATRIX = {
    "followee": {"public", "followers"},
    "friend": {"public", "followers", "friends"},
    "close_friend": {"public", "followers", "friends", "close_friends"},
    # On the author's close-friends list while only following them: the list alone admits.
    "listed_followee": {"public", "followers", "close_friends"},
    # Not followed: nothing of theirs is on my home, whatever they let me see elsewhere.
    "listed_stranger": set(),
    "stranger": set(),
    "follower_only": set(),
    "muted": set(),
    "blocked_by_viewer": set(),
    "blocking_viewer": set(),
    "deactivated": set(),
}


@pytest.mark.parametrize("relation", sorted(MATRIX))
def test_home_shows_a_followed_authors_posts_as_their_visibility_allows(relation):
    viewer, author = UserFactory(), UserFactory()
    _relate(viewer, author, relation)
    posts = {
        visibility: PostFactory(author=author, visibility=visibility) for visibility in VISIBILITIES
    }

    expected = {posts[visibility].pk for visibility in MATRIX[relation]}
    assert set(_ids(viewer)) == expected


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_drafts_deleted_and_hidden_posts_are_never_on_home(visibility):
    viewer, author = UserFactory(), UserFactory()
    FollowFactory(follower=viewer, followee=author)
    FollowFactory(follower=author, followee=viewer)
    CloseFriendFactory(owner=author, friend=viewer)
    shown = PostFactory(author=author, visibility=visibility)
    PostFactory(author=author, visibility=visibility, status="draft", published_at=None)
    PostFactory(author=author, visibility=visibility, deleted_at=timezone.now())
    PostFactory(author=author, visibility=visibility, hidden_at=timezone.now())

    assert _ids(viewer) == [shown.pk]


def test_my_own_posts_are_on_my_home_whatever_their_visibility_but_not_my_drafts():
    me = UserFactory()
    mine = [PostFactory(author=me, visibility=visibility) for visibility in VISIBILITIES]
    PostFactory(author=me, status="draft", published_at=None)
    PostFactory(author=me, deleted_at=timezone.now())

    assert _ids(me) == [post.pk for post in reversed(mine)]


def test_home_is_newest_first_by_publication_and_a_later_block_or_mute_applies_at_once():
    viewer, ana, bo = UserFactory(), UserFactory(), UserFactory()
    for author in (ana, bo):
        FollowFactory(follower=viewer, followee=author)
    now = timezone.now()
    old = PostFactory(author=ana, published_at=now - datetime.timedelta(days=2))
    new = PostFactory(author=bo, published_at=now - datetime.timedelta(hours=1))
    # Created last, but published first (a draft published long ago is not new).
    oldest = PostFactory(author=bo, published_at=now - datetime.timedelta(days=3))
    assert _ids(viewer) == [new.pk, old.pk, oldest.pk]

    MuteFactory(muter=viewer, muted=bo)
    assert _ids(viewer) == [old.pk]
    BlockFactory(blocker=ana, blocked=viewer)
    assert _ids(viewer) == []


def test_paging_shows_every_post_exactly_once_while_new_posts_arrive():
    viewer = UserFactory()
    authors = UserFactory.create_batch(3)
    for author in authors:
        FollowFactory(follower=viewer, followee=author)
    start = timezone.now() - datetime.timedelta(days=1)
    existing = []
    for n in range(47):
        # Pairs share a timestamp: the id breaks the tie, and a page may end inside a pair.
        moment = start + datetime.timedelta(minutes=n // 2)
        existing.append(PostFactory(author=authors[n % 3], published_at=moment).pk)

    seen: list[int] = []
    cursor = None
    for page_number in range(20):
        page = home_cards(viewer, cursor=cursor, limit=10)
        seen += [card.id for card in page.cards]
        # Friends keep posting while the viewer scrolls.
        PostFactory(author=authors[page_number % 3])
        cursor = page.next_cursor
        if cursor is None:
            break

    assert len(seen) == len(set(seen))
    assert seen == sorted(existing, reverse=True)


def test_a_cursor_past_the_end_gives_an_empty_last_page():
    viewer = UserFactory()
    PostFactory(author=viewer)
    past = encode(Position(timezone.now() - datetime.timedelta(days=3650), 1))

    page = home_cards(viewer, cursor=past, limit=10)

    assert page.cards == []
    assert page.next_cursor is None


def _rich_posts(author, count: int) -> None:
    """Posts as the home shows them: pictures and product tags on each."""
    product = ProductFactory()
    SKUFactory(product=product)
    for _ in range(count):
        post = PostFactory(author=author)
        PostMediaFactory(post=post)
        PostMediaFactory(post=post)
        ProductTagFactory(post=post, product=product)


def _queries_for(viewer, count: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert len(_ids(viewer, limit=count)) == count
    return len(captured)


def test_a_page_of_ten_or_of_fifty_cards_costs_the_same_queries():
    viewer = UserFactory()
    for _ in range(5):
        author = UserFactory()
        FollowFactory(follower=viewer, followee=author)
        _rich_posts(author, 10)

    ten, fifty = _queries_for(viewer, 10), _queries_for(viewer, 50)

    assert ten == fifty
    assert fifty <= 9


# The API -----------------------------------------------------------------------------------


@pytest.fixture
def signed_in(api_client):
    def _as(user):
        api_client.force_authenticate(user)
        return api_client

    return _as


def test_the_api_pages_by_opaque_cursor_links(signed_in):
    viewer, author = UserFactory(), UserFactory()
    FollowFactory(follower=viewer, followee=author)
    posts = [PostFactory(author=author) for _ in range(5)]
    client = signed_in(viewer)

    first = client.get("/api/v1/feed/home?page_size=3").json()
    assert [post["id"] for post in first["results"]] == [post.pk for post in posts[:1:-1]]
    assert first["results"][0]["author"]["username"] == author.username
    assert "cursor=" in first["next"]
    assert "page_size=3" in first["next"]

    second = client.get(first["next"]).json()
    assert [post["id"] for post in second["results"]] == [posts[1].pk, posts[0].pk]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("cursor=not-a-cursor", None),
        ("cursor=" + "A" * 30, None),
        # Well-formed base64 of what no page ends on: a time before 1970, a post id 0.
        ("cursor=LTUuMw", None),
        ("cursor=MTcwMDAwMDAwMDAwMDAwMC4w", None),
        ("cursor=%00", "cursor"),
        ("page_size=0", "page_size"),
        ("page_size=51", "page_size"),
        ("page_size=lots", "page_size"),
    ],
)
def test_bad_cursors_and_page_sizes_are_400_with_the_error_shape(signed_in, query, field):
    response = signed_in(UserFactory()).get(f"/api/v1/feed/home?{query}")

    assert response.status_code == 400
    error = response.json()["error"]
    if field:
        assert field in error["fields"]
    else:
        assert error["code"] == "invalid_cursor"


def test_an_empty_cursor_is_the_first_page(signed_in):
    viewer = UserFactory()
    post = PostFactory(author=viewer)

    response = signed_in(viewer).get("/api/v1/feed/home?cursor=")

    assert [item["id"] for item in response.json()["results"]] == [post.pk]


def test_the_home_feed_needs_a_signed_in_user(api_client):
    response = api_client.get("/api/v1/feed/home")

    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_the_api_costs_the_same_queries_for_ten_or_fifty_posts(
    signed_in, django_assert_max_num_queries
):
    viewer = UserFactory()
    author = UserFactory()
    FollowFactory(follower=viewer, followee=author)
    _rich_posts(author, 50)
    client = signed_in(viewer)

    counts = []
    for size in (10, 50):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/feed/home?page_size={size}")
        assert len(response.json()["results"]) == size
        counts.append(len(captured))

    assert counts[0] == counts[1] <= 10
