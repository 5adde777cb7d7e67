"""Link previews: Open Graph and Twitter card meta on the product and post pages (absolute URLs,
a public picture only), the post page's share slot and its commission disclosure."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import FollowFactory, UserFactory
from tests.factories_commerce import ProductFactory, ProductImageFactory, SKUFactory
from tests.factories_posts import MediaFactory, PostFactory, PostMediaFactory, ProductTagFactory

pytestmark = pytest.mark.django_db


def _meta(content: str) -> dict[str, str]:
    """{property or name: content} of the page's <meta> tags."""
    found = {}
    for key, value in re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', content):
        found[key] = value
    return found


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_product_page_previews_with_its_first_picture():
    """og:title, og:description, og:url and og:image are there, the image absolute and the
    product's own first picture; twitter:card is summary_large_image."""
    product = ProductFactory(name="Blood oranges", description="Sweet,\n  ruby red.")
    SKUFactory(product=product)
    image = ProductImageFactory(product=product)
    url = reverse("commerce:product_detail", args=[product.pk])

    meta = _meta(_client().get(url).content.decode())

    assert meta["og:title"] == f"Blood oranges · {product.merchant.name}"
    assert meta["og:description"] == "Sweet, ruby red."
    assert meta["og:url"] == f"http://testserver{url}"
    assert meta["og:image"] == f"http://testserver{image.image.url}"
    assert meta["og:type"] == "product"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]


def test_product_without_picture_has_a_small_card():
    """No picture, no og:image: the card is a plain summary."""
    product = SKUFactory().product

    meta = _meta(
        _client().get(reverse("commerce:product_detail", args=[product.pk])).content.decode()
    )

    assert "og:image" not in meta
    assert meta["twitter:card"] == "summary"


def test_public_post_previews_with_its_first_picture_plainly():
    """A published public post's preview picture is its first picture's plain (unsigned),
    absolute URL; title, description and URL come from the post."""
    author = UserFactory(username="mango_lady", display_name="Mango Lady")
    post = PostFactory(author=author, text="Mango morning\nat the night market")
    first = MediaFactory(owner=author, public=True)
    PostMediaFactory(post=post, media=first, position=0)
    PostMediaFactory(post=post, media=MediaFactory(owner=author, public=True), position=1)
    url = reverse("posts:detail", args=[post.pk])

    meta = _meta(_client().get(url).content.decode())

    assert meta["og:title"] == "Mango morning · Mango Lady"
    assert meta["og:description"] == "Mango morning at the night market"
    assert meta["og:url"] == f"http://testserver{url}"
    assert meta["og:image"] == f"http://testserver/media/{first.variants['1080']}"
    assert "sig=" not in meta["og:image"]
    assert meta["twitter:card"] == "summary_large_image"


def test_a_non_public_post_has_no_preview_picture():
    """A followers-only post seen by a follower: no og:image or twitter:image at all (its
    picture URLs are signed: they must not end up in a chat app's preview)."""
    post = PostFactory(visibility="followers")
    PostMediaFactory(post=post)
    follower = UserFactory()
    FollowFactory(follower=follower, followee=post.author)

    content = _client(follower).get(reverse("posts:detail", args=[post.pk])).content.decode()

    meta = _meta(content)
    assert "og:image" not in meta
    assert "twitter:image" not in meta
    assert meta["twitter:card"] == "summary"
    assert "og:title" in meta


def test_post_page_loads_its_share_sheet_and_discloses_commission():
    """The post page's share slot loads shoplinks:post_share; a post with tags says it contains
    shop links and that its author may earn a commission."""
    post = PostFactory()
    ProductTagFactory(post=post, product=SKUFactory().product)

    content = _client().get(reverse("posts:detail", args=[post.pk])).content.decode()

    share = reverse("shoplinks:post_share", kwargs={"post_id": post.pk})
    assert f'id="post-share" hx-get="{share}" hx-trigger="load"' in content
    assert "Contains shop links: the author may earn a commission" in content


def test_a_draft_has_no_share_slot():
    """The author's draft cannot be shared yet: no slot."""
    post = PostFactory(status="draft", published_at=None)

    content = _client(post.author).get(reverse("posts:detail", args=[post.pk])).content.decode()

    assert 'id="post-share"' not in content
