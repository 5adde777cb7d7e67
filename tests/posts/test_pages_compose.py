"""The composer's pages (new, edit) and deleting a post from its page."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from posts.models import Post
from posts.services import post_update
from tests.factories import UserFactory


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _config(response) -> dict:
    found = re.search(
        rb'<script id="composer-config" type="application/json">(.*?)</script>',
        response.content,
        re.S,
    )
    return json.loads(found.group(1))


@pytest.mark.django_db
def test_composer_needs_sign_in():
    """A visitor asking for the composer is sent to sign in and back."""
    response = Client().get(reverse("posts:compose"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:signin"))


@pytest.mark.django_db
def test_composer_is_configured_with_the_api_contract():
    """The composer page hands its script the API routes of API.md, the limits of the models
    and where a saved post lives."""
    response = _client(UserFactory()).get(reverse("posts:compose"))

    config = _config(response)
    assert config["api"] == {
        "media": "/api/v1/media",
        "posts": "/api/v1/posts",
        "products": "/api/v1/products",
    }
    assert config["limits"] == {"images": 18, "tags": 20, "text": 2000, "alt": 300}
    assert config["detailPrefix"] + "7/" == reverse("posts:detail", args=[7])
    assert config["post"] is None


@pytest.mark.django_db
def test_edit_page_starts_from_the_post(cast, publish, product):
    """The author's edit page carries the post's text, pictures (alt texts) and tags."""
    post = publish(cast.author, text="Peaches! #peach", visibility="friends")
    media_id = post.media_items.get().media_id
    post_update(
        post=post,
        actor=cast.author,
        tags=[{"product_id": product.pk, "media_id": media_id, "x": 0.2, "y": 0.8}],
        alt_texts=["Two peaches"],
    )

    config = _config(_client(cast.author).get(reverse("posts:edit", args=[post.pk])))

    initial = config["post"]
    assert (initial["id"], initial["text"], initial["visibility"]) == (
        post.pk,
        "Peaches! #peach",
        "friends",
    )
    assert [(m["id"], m["alt_text"]) for m in initial["media"]] == [(media_id, "Two peaches")]
    tag = initial["tags"][0]
    assert (tag["product"]["id"], tag["media_id"], tag["x"], tag["y"]) == (
        product.pk,
        media_id,
        0.2,
        0.8,
    )


@pytest.mark.django_db
def test_someone_else_cannot_open_the_edit_page(cast, publish):
    """Only the author edits: a friend who sees the post gets the 404 page for its editor."""
    post = publish(cast.author)

    response = _client(cast.friend).get(reverse("posts:edit", args=[post.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_delete_asks_first_then_deletes(cast, publish):
    """GET shows a confirmation and changes nothing; POST deletes (softly) and goes to the
    author's profile; the post page is then a 404."""
    post = publish(cast.author)
    client = _client(cast.author)
    url = reverse("posts:delete", args=[post.pk])

    asked = client.get(url)
    assert b"Delete this post?" in asked.content
    assert Post.objects.get(pk=post.pk).deleted_at is None

    done = client.post(url)

    assert done["Location"] == reverse("accounts:profile", args=[cast.author.username])
    assert Post.objects.get(pk=post.pk).deleted_at is not None
    assert client.get(reverse("posts:detail", args=[post.pk])).status_code == 404


@pytest.mark.django_db
def test_someone_else_cannot_delete(cast, publish):
    """A friend posting to the delete URL gets the 404 page; the post stays."""
    post = publish(cast.author)

    response = _client(cast.friend).post(reverse("posts:delete", args=[post.pk]))

    assert response.status_code == 404
    assert Post.objects.get(pk=post.pk).deleted_at is None
