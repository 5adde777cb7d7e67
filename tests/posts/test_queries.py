"""Query counts: a post and a page of posts cost the same number of queries whatever the
number of pictures, tags, hashtags, comments and likes (posts.selectors.cards batches them)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from posts import selectors, services
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory
from tests.factories_posts import MediaFactory

pytestmark = pytest.mark.django_db

# Auth + post + media + tags + products + hashtags + the viewer's likes and saves.
DETAIL_MAX_QUERIES = 8


def _rich_post(author, size: int):
    """A public post with `size` pictures, tagged products, hashtags, comments and likes."""
    media = [MediaFactory(owner=author) for _ in range(size)]
    tags = [
        {"product_id": SKUFactory().product_id, "media_id": item.pk, "x": 0.5, "y": 0.5}
        for item in media
    ]
    text = " ".join(f"#tag{n}" for n in range(size))
    post = services.post_create(
        author=author,
        text=text,
        media_ids=[item.pk for item in media],
        visibility="public",
        status="published",
        tags=tags,
    )
    for _ in range(size):
        fan = UserFactory()
        services.comment_create(author=fan, post=post, text="yum")
        services.post_like(user=fan, post=post)
    return post


def _count(fetch) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200
    return len(queries)


def test_post_detail_costs_the_same_for_1_and_10_of_everything(cast, client_for):
    """GET posts/{id} runs as many queries for a post with 10 pictures, tags and comments as
    for one with 1, and at most DETAIL_MAX_QUERIES."""
    small, big = _rich_post(cast.author, 1), _rich_post(cast.author, 10)
    client = client_for(cast.stranger)
    small_cost = _count(lambda: client.get(f"/api/v1/posts/{small.pk}"))
    big_cost = _count(lambda: client.get(f"/api/v1/posts/{big.pk}"))
    assert big_cost == small_cost
    assert big_cost <= DETAIL_MAX_QUERIES


def test_user_posts_cost_the_same_for_1_and_10_posts(client_for):
    """GET users/{username}/posts runs as many queries for 10 rich posts as for 1."""
    few, many = UserFactory(username="few"), UserFactory(username="many")
    _rich_post(few, 1)
    for _ in range(10):
        _rich_post(many, 3)
    client = client_for(UserFactory())
    few_cost = _count(lambda: client.get("/api/v1/users/few/posts"))
    many_cost = _count(lambda: client.get("/api/v1/users/many/posts"))
    assert many_cost == few_cost


def test_comments_cost_the_same_for_1_and_10(cast, client_for):
    """GET posts/{id}/comments does not query per comment (authors are joined)."""
    small, big = _rich_post(cast.author, 1), _rich_post(cast.author, 10)
    client = client_for(cast.stranger)
    small_cost = _count(lambda: client.get(f"/api/v1/posts/{small.pk}/comments"))
    big_cost = _count(lambda: client.get(f"/api/v1/posts/{big.pk}/comments"))
    assert big_cost == small_cost


def test_post_views_batch_is_at_most_seven_queries(cast, django_assert_max_num_queries):
    """post_views for posts without joined authors: authors, media, tags, products, hashtags,
    likes, saves."""
    for _ in range(5):
        _rich_post(cast.author, 2)
    posts = list(selectors.visible_posts(cast.stranger).select_related(None))
    with django_assert_max_num_queries(7):
        views = selectors.post_views(posts, viewer=cast.stranger)
    assert all(len(view.media) == 2 and len(view.tags) == 2 for view in views)
