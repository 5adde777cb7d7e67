"""Who sees what on the posts pages: the post page and the profile grid, for every kind of post
(public / followers / friends / close friends / draft / deleted / hidden) and every kind of
viewer (stranger, follower, friend, close friend, author, blocked user, anonymous)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from posts.models import Post
from posts.services import post_like, post_save

VIEWERS = ("stranger", "follower", "friend", "close_friend", "author", "blocked", "anonymous")

# kind of post -> the viewers who see it.
MATRIX = {
    "public": {"stranger", "follower", "friend", "close_friend", "author", "anonymous"},
    "followers": {"follower", "friend", "author"},
    "friends": {"friend", "author"},
    "close_friends": {"close_friend", "author"},
    "draft": {"author"},
    "deleted": set(),
    "hidden": {"author"},
}


def _post(kind: str, cast, publish) -> Post:
    if kind in ("public", "followers", "friends", "close_friends"):
        return publish(cast.author, visibility=kind)
    if kind == "draft":
        return publish(cast.author, status="draft")
    post = publish(cast.author)
    field = "deleted_at" if kind == "deleted" else "hidden_at"
    Post.objects.filter(pk=post.pk).update(**{field: timezone.now()})
    return post


def _client(cast, viewer: str) -> Client:
    client = Client()
    if viewer != "anonymous":
        client.force_login(getattr(cast, viewer))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("kind", list(MATRIX))
def test_post_page_is_shown_only_to_those_who_may_see_it(kind, viewer, cast, publish):
    """The post page answers 200 to a viewer the post's visibility admits and the 404 page to
    everyone else (never a 403 that would tell the post exists)."""
    post = _post(kind, cast, publish)

    response = _client(cast, viewer).get(reverse("posts:detail", args=[post.pk]))

    expected = 200 if viewer in MATRIX[kind] else 404
    assert response.status_code == expected
    if expected == 200:
        assert f'data-post="{post.pk}"'.encode() in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("kind", list(MATRIX))
def test_profile_grid_lists_only_posts_the_viewer_may_see(kind, viewer, cast, publish):
    """The profile grid holds the post's card exactly when the viewer may see the post; drafts
    are never in it (they have their own tab)."""
    post = _post(kind, cast, publish)

    response = _client(cast, viewer).get(reverse("posts:profile_grid", args=[cast.author.username]))

    shown = viewer in MATRIX[kind] and kind != "draft"
    assert response.status_code == 200
    assert (f'data-post-card="{post.pk}"'.encode() in response.content) is shown


@pytest.mark.django_db
def test_hidden_post_is_marked_hidden_for_its_author(cast, publish):
    """After a report is upheld the author still sees the post, with a note saying it is
    hidden."""
    post = _post("hidden", cast, publish)

    response = _client(cast, "author").get(reverse("posts:detail", args=[post.pk]))

    assert b"Hidden after a report" in response.content


@pytest.mark.django_db
def test_product_slot_lists_visible_posts_tagging_the_product(cast, publish, product):
    """ "Posts about this product" shows the posts tagging it that the viewer may see, and not a
    followers-only one to a stranger."""
    tag = {"product_id": product.pk}
    public = publish(cast.author, tags=[tag])
    followers_only = publish(cast.author, visibility="followers", tags=[tag])
    untagged = publish(cast.author)

    response = _client(cast, "stranger").get(reverse("posts:product_posts", args=[product.pk]))

    content = response.content
    assert f'data-post-card="{public.pk}"'.encode() in content
    assert f'data-post-card="{followers_only.pk}"'.encode() not in content
    assert f'data-post-card="{untagged.pk}"'.encode() not in content


@pytest.mark.django_db
def test_product_slot_without_posts_is_a_friendly_empty_state(product):
    """A product nobody posted about gets an invitation, not an empty box or an error."""
    response = Client().get(reverse("posts:product_posts", args=[product.pk]))

    assert response.status_code == 200
    assert b"No posts yet" in response.content
    assert b"data-post-card" not in response.content


@pytest.mark.django_db
def test_product_slot_puts_the_most_engaging_post_first(cast, publish, product):
    """Of two posts tagging the product, the one with more likes and saves comes first."""
    tag = {"product_id": product.pk}
    quiet = publish(cast.author, tags=[tag])
    loved = publish(cast.author, tags=[tag])
    for person in (cast.friend, cast.follower, cast.stranger):
        post_like(user=person, post=loved)
    post_save(user=cast.friend, post=loved)

    content = Client().get(reverse("posts:product_posts", args=[product.pk])).content.decode()

    assert content.index(f'data-post-card="{loved.pk}"') < content.index(
        f'data-post-card="{quiet.pk}"'
    )
