"""Hashtag feeds (GET feed/tags/{hashtag}, /tags/<name>): case-folded names, newest first by
keyset cursor, only what the viewer may see, errors in the API's shape."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feed.discover.errors import InvalidHashtag
from feed.discover.hashtags import hashtag_name, hashtag_page
from posts.models import Hashtag, Post, PostHashtag
from tests.factories import BlockFactory, FollowFactory, MuteFactory, UserFactory
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _tagged(name: str, *, minutes: int, **kw) -> Post:
    post = PostFactory(published_at=NOW - datetime.timedelta(minutes=minutes), **kw)
    tag, _ = Hashtag.objects.get_or_create(name=name)
    PostHashtag.objects.create(post=post, hashtag=tag, position=0)
    return post


def _ids(viewer, name, **kw) -> list[int]:
    return [
        post.pk for post in hashtag_page(viewer, hashtag=name, cursor=None, limit=50, **kw).posts
    ]


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("mango", "mango"),
        ("#Mango", "mango"),
        ("MANGO", "mango"),
        ("芒果", "芒果"),
        ("ＭＡＮＧＯ", "mango"),
    ],
)
def test_names_are_matched_as_posts_stores_them(raw, stored):
    assert hashtag_name(raw) == stored


@pytest.mark.parametrize("raw", ["", "#", "two words", "a#b", "x" * 101])
def test_what_is_not_a_hashtag_is_refused(raw):
    with pytest.raises(InvalidHashtag) as error:
        hashtag_name(raw)
    assert error.value.code == "invalid_hashtag"


def test_newest_first_and_case_folded():
    old = _tagged("mango", minutes=30)
    new = _tagged("mango", minutes=5)
    _tagged("durian", minutes=1)
    assert _ids(None, "Mango") == [new.pk, old.pk]
    assert _ids(None, "#MANGO") == [new.pk, old.pk]
    assert _ids(None, "nothing") == []


def test_pages_follow_the_keyset_cursor_without_gaps_or_repeats_as_posts_arrive():
    posts = [_tagged("mango", minutes=100 - n) for n in range(7)]
    first = hashtag_page(None, hashtag="mango", cursor=None, limit=3)
    _tagged("mango", minutes=0)  # published meanwhile: not pushed into later pages
    second = hashtag_page(None, hashtag="mango", cursor=first.next_cursor, limit=3)
    third = hashtag_page(None, hashtag="mango", cursor=second.next_cursor, limit=3)
    seen = [p.pk for page in (first, second, third) for p in page.posts]
    assert seen == [p.pk for p in reversed(posts)]
    assert third.next_cursor is None


def test_only_what_the_viewer_may_see():
    me = UserFactory()
    public = _tagged("mango", minutes=1)
    followers_only = _tagged("mango", minutes=2, visibility="followers")
    FollowFactory(follower=me, followee=followers_only.author)
    stranger_only = _tagged("mango", minutes=3, visibility="followers")
    blocked = _tagged("mango", minutes=4)
    BlockFactory(blocker=blocked.author, blocked=me)
    muted = _tagged("mango", minutes=5)
    MuteFactory(muter=me, muted=muted.author)
    _tagged("mango", minutes=6, deleted_at=NOW)
    _tagged("mango", minutes=7, hidden_at=NOW)
    _tagged("mango", minutes=8, status=Post.Status.DRAFT)
    assert _ids(me, "mango") == [public.pk, followers_only.pk]
    assert _ids(None, "mango") == [public.pk, blocked.pk, muted.pk]
    assert stranger_only.pk not in _ids(me, "mango")


def test_the_api_pages_and_costs_a_fixed_number_of_queries(api_client):
    for n in range(60):
        _tagged("mango", minutes=n)
    me = UserFactory()
    api_client.force_authenticate(me)
    counts = []
    for size in (10, 50):
        with CaptureQueriesContext(connection) as queries:
            body = api_client.get(f"/api/v1/feed/tags/Mango?page_size={size}").json()
        counts.append(len(queries))
        assert body["hashtag"] == "mango"
        assert len(body["results"]) == size
        assert body["next"]
    assert counts[0] == counts[1] <= 3, counts


def test_api_errors_have_the_error_shape(api_client):
    response = api_client.get("/api/v1/feed/tags/" + "x" * 101)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_hashtag"
    response = api_client.get("/api/v1/feed/tags/mango", {"cursor": "garbage"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_the_page_lists_the_cards_and_post_text_links_to_it(client):
    post = _tagged("mango", minutes=1, text="Ripe today #Mango")
    page = client.get(reverse("feed:tag", args=["mango"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "#mango" in html
    assert f'data-post-card="{post.pk}"' in html
    assert reverse("feed:tag", kwargs={"hashtag": "mango"}) == "/tags/mango"
    detail = client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert 'class="hashtag" href="/tags/' in detail
    empty = client.get(reverse("feed:tag", args=["durian"]))
    assert empty.status_code == 200
    assert "No posts with #durian yet" in empty.content.decode()
    bad = client.get(reverse("feed:tag", args=["a#b"]))
    assert bad.status_code == 400
    assert "not a hashtag" in bad.content.decode()
