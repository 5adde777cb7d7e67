"""The API renders posts with plain dicts (posts.api.render) for speed, while the schema is made
from the PostOut serializer: the two must give the same answer, field for field."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory
from django.utils import timezone

from posts import selectors
from posts.api.render import post_json, posts_json
from posts.api.serializers import PostOut
from posts.models import Save
from tests.factories import UserFactory
from tests.factories_commerce import ProductFactory, ProductImageFactory, SKUFactory
from tests.factories_posts import MediaFactory, PostFactory, PostMediaFactory, ProductTagFactory

pytestmark = pytest.mark.django_db


def _rich_post(viewer):
    author = UserFactory(display_name="Mei 🍑", avatar="avatars/2026/11/mei.png")
    post = PostFactory(
        author=author, text="Peaches #夏天", location="Wuxi", edited_at=timezone.now()
    )
    picture = PostMediaFactory(post=post, alt_text="A box of peaches").media
    PostMediaFactory(post=post, media=MediaFactory(owner=author, public=True))
    video = MediaFactory(owner=author, kind="video", duration_ms=12_345, content_type="video/mp4")
    PostMediaFactory(post=post, media=video)
    product = ProductFactory(name="Yangshan peaches")
    ProductImageFactory(product=product)
    sku = SKUFactory(product=product, price=4_990)
    ProductTagFactory(post=post, product=product, sku=sku, media=picture, x=0.25, y=0.75)
    ProductTagFactory(post=post, product=ProductFactory())
    Save.objects.create(user=viewer, post=post)
    return post


def test_the_plain_rendering_equals_the_serializer_field_for_field():
    viewer = UserFactory()
    posts = [_rich_post(viewer), PostFactory(text="Only words")]
    views = selectors.post_views(posts, viewer=viewer)
    request = RequestFactory().get("/api/v1/feed/home", HTTP_HOST="testserver")

    ours = posts_json(views, request)
    drf = json.loads(json.dumps(PostOut(views, many=True, context={"request": request}).data))

    assert ours == drf
    assert post_json(views[0], request) == drf[0]
    # The comparison covers what matters: absolute URLs, a duration, a tag on a picture.
    first = ours[0]
    assert first["author"]["avatar"].startswith("http://testserver/")
    assert {item["kind"] for item in first["media"]} == {"image", "video"}
    assert first["tags"][0]["product"]["url"].startswith("http://testserver/")
    assert first["saved"] is True
