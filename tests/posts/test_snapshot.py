"""Each post's card snapshot (posts/snapshot.py) stays equal to what its rows say, through the
services and through media's own changes, and lets a page of cards cost a fixed 2 queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from media.models import Media
from media.services import media_process, media_upload
from posts import selectors, services
from posts.models import Post
from posts.snapshot import refresh_cards
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory
from tests.factories_posts import PostFactory, PostMediaFactory, ProductTagFactory
from tests.media.samples import jpeg

pytestmark = pytest.mark.django_db


def _stored_card(post: Post) -> dict:
    return Post.objects.get(pk=post.pk).card


def _fresh_card(post: Post) -> dict:
    return refresh_cards([post.pk])[post.pk]


def _upload(author) -> Media:
    upload = SimpleUploadedFile("IMG_1.jpg", jpeg(), content_type="image/jpeg")
    return media_upload(owner=author, upload=upload)


def test_the_card_follows_the_post_through_its_life(django_capture_on_commit_callbacks):
    author = UserFactory()
    sku = SKUFactory(price=2_800)
    # Processing is queued after commit; held back here so the card sees it still processing.
    with django_capture_on_commit_callbacks(execute=False):
        medium = _upload(author)
        post = services.post_create(
            author=author,
            text="Lychees! #荔枝",
            media_ids=[medium.pk],
            alt_texts=["A bowl of lychees"],
            visibility="public",
            status="published",
            tags=[{"product_id": sku.product_id, "sku_id": sku.pk, "media_id": medium.pk}],
        )
    card = _stored_card(post)
    assert card["hashtags"] == ["荔枝"]
    assert [item["status"] for item in card["media"]] == ["processing"]
    assert card["media"][0]["alt_text"] == "A bowl of lychees"
    assert card["tags"][0]["sku_id"] == sku.pk

    media_process(media_id=medium.pk)
    card = _stored_card(post)
    assert card["media"][0]["status"] == "ready"
    assert card["media"][0]["variants"] == Media.objects.get(pk=medium.pk).variants
    assert card["media"][0]["public"] is True

    post = services.post_update(post=post, actor=author, visibility="friends", tags=[])
    card = _stored_card(post)
    # Friends only: the picture is no longer public, so its URLs are signed from now on.
    assert card["media"][0]["public"] is False
    assert card["tags"] == []
    assert post.card == card == _fresh_card(post)


def test_a_page_of_cards_costs_two_queries_whatever_its_length():
    viewer, author = UserFactory(), UserFactory()
    skus = SKUFactory.create_batch(3)
    for n in range(50):
        post = PostFactory(author=author)
        PostMediaFactory(post=post)
        ProductTagFactory(post=post, product=skus[n % 3].product, sku=skus[n % 3])

    counts = []
    for size in (10, 50):
        page = list(
            selectors.with_viewer_flags(selectors.visible_posts(viewer), viewer).order_by("-id")[
                :size
            ]
        )
        with CaptureQueriesContext(connection) as captured:
            views = selectors.post_views(page, viewer=viewer)
        assert len(views) == size
        assert all(view.media and view.tags for view in views)
        counts.append(len(captured))

    # The tagged products' figures and their SKUs.
    assert counts == [2, 2]
