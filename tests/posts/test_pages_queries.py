"""The post page and the profile grid cost a fixed number of SQL queries, whatever the number of
pictures, product tags, comments or posts shown."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from posts.services import comment_create, post_like, post_update
from tests.factories import FollowFactory, UserFactory
from tests.factories_commerce import SKUFactory

# Measured on SQLite; the bound catches a per-item query creeping in long before it matters.
DETAIL_MAX_QUERIES = 20
GRID_MAX_QUERIES = 14


def _rich_post(cast, publish, size: int, author=None):
    """A public post (by the cast's author unless told) with `size` pictures, `size` tagged
    products (one per picture, placed on it) and `size` comments, and likes."""
    products = [SKUFactory().product for _ in range(size)]
    author = author or cast.author
    post = publish(author, images=size)
    media_ids = list(post.media_items.values_list("media_id", flat=True))
    tags = [
        {"product_id": product.pk, "media_id": media_id, "x": 0.5, "y": 0.5}
        for product, media_id in zip(products, media_ids, strict=True)
    ]
    post = post_update(post=post, actor=author, tags=tags)
    for person in (cast.friend, cast.follower, cast.stranger)[: min(size, 3)]:
        post_like(user=person, post=post)
    for n in range(size):
        comment_create(author=(cast.friend, cast.stranger)[n % 2], post=post, text=f"Yum {n}")
    return post


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_post_page_queries_do_not_grow_with_pictures_tags_and_comments(cast, publish):
    """A post with 10 pictures, 10 tags and 10 comments costs the same queries as one with 1."""
    small = _rich_post(cast, publish, 1)
    large = _rich_post(cast, publish, 10)
    client = Client()
    client.force_login(cast.friend)

    small_count = _count(client, reverse("posts:detail", args=[small.pk]))
    large_count = _count(client, reverse("posts:detail", args=[large.pk]))

    assert large_count == small_count
    assert large_count <= DETAIL_MAX_QUERIES


@pytest.mark.django_db
def test_profile_grid_queries_do_not_grow_with_posts(cast, publish):
    """A profile grid of 10 rich posts costs the same queries as one of a single post."""
    other = UserFactory(username="other")
    FollowFactory(follower=cast.friend, followee=other)
    _rich_post(cast, publish, 2)
    for _ in range(10):
        _rich_post(cast, publish, 3, author=other)
    client = Client()
    client.force_login(cast.friend)

    one = _count(client, reverse("posts:profile_grid", args=[cast.author.username]))
    ten = _count(client, reverse("posts:profile_grid", args=[other.username]))

    assert ten == one
    assert ten <= GRID_MAX_QUERIES
