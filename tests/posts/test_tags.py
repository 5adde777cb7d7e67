"""Product tags on posts: which products, SKUs, pictures and points are accepted."""

import pytest

from commerce.models import Merchant
from posts import services
from posts.errors import InvalidTag
from posts.models import MAX_TAGS, Post, ProductTag
from tests.factories import UserFactory
from tests.factories_commerce import ProductFactory, SKUFactory
from tests.factories_posts import MediaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory()


@pytest.fixture
def picture(author):
    return MediaFactory(owner=author)


def _post(publish, author, picture, tags):
    return publish(author, images=0, media_ids=[picture.pk], tags=tags)


def _refusal(publish, author, picture, tags) -> dict:
    with pytest.raises(InvalidTag) as refused:
        _post(publish, author, picture, tags)
    assert not Post.objects.exists()
    return refused.value.fields


def test_tag_with_sku_point_and_picture_is_stored(publish, author, picture, product):
    """A full tag keeps its product, SKU, picture and point, in order."""
    sku = product.skus.get()
    post = _post(
        publish,
        author,
        picture,
        [
            {"product_id": product.pk, "sku_id": sku.pk, "media_id": picture.pk, "x": 0, "y": 1},
            {"product_id": product.pk},
        ],
    )
    tags = list(ProductTag.objects.filter(post=post).order_by("position"))
    assert [(t.product_id, t.sku_id, t.media_id, t.x, t.y) for t in tags] == [
        (product.pk, sku.pk, picture.pk, 0.0, 1.0),
        (product.pk, None, None, None, None),
    ]


def test_another_shops_product_is_allowed(publish, author, picture):
    """Any shop's product may be tagged, not only one the author works for."""
    other_shop_product = SKUFactory().product
    post = _post(publish, author, picture, [{"product_id": other_shop_product.pk}])
    assert post.tags.get().product_id == other_shop_product.pk


def test_inactive_product_is_refused_at_its_index(publish, author, picture, product):
    """An inactive product is refused; the error names the tag's index and field."""
    inactive = ProductFactory(active=False)
    fields = _refusal(
        publish, author, picture, [{"product_id": product.pk}, {"product_id": inactive.pk}]
    )
    assert list(fields["tags"]) == ["1"]
    assert "product_id" in fields["tags"]["1"]


def test_product_of_a_suspended_shop_or_unknown_is_refused(publish, author, picture):
    """Products of suspended shops and unknown ids are not for sale."""
    suspended = ProductFactory(merchant__status=Merchant.Status.SUSPENDED)
    fields = _refusal(
        publish, author, picture, [{"product_id": suspended.pk}, {"product_id": 999_999}]
    )
    assert set(fields["tags"]) == {"0", "1"}


def test_more_than_twenty_tags_are_refused(publish, author, picture, product):
    """At most MAX_TAGS (20) tags per post; 20 pass."""
    _post(publish, author, picture, [{"product_id": product.pk}] * MAX_TAGS)
    with pytest.raises(InvalidTag) as refused:
        _post(publish, author, picture, [{"product_id": product.pk}] * (MAX_TAGS + 1))
    assert "tags" in refused.value.fields


@pytest.mark.parametrize(
    ("point", "field"),
    [
        ({"x": -0.01, "y": 0.5}, "x"),
        ({"x": 0.5, "y": 1.01}, "y"),
        ({"x": float("nan"), "y": 0.5}, "x"),
        ({"x": True, "y": 0.5}, "x"),
        ({"x": 0.5}, "y"),
        ({"y": 0.5}, "x"),
    ],
)
def test_points_outside_the_picture_or_half_given_are_refused(
    publish, author, picture, product, point, field
):
    """x and y are both given, each within 0..1, or both absent."""
    tag = {"product_id": product.pk, "media_id": picture.pk, **point}
    fields = _refusal(publish, author, picture, [tag])
    assert field in fields["tags"]["0"]


def test_point_without_a_picture_is_refused(publish, author, picture, product):
    """A point must say which picture it is on."""
    fields = _refusal(publish, author, picture, [{"product_id": product.pk, "x": 0.2, "y": 0.2}])
    assert "media_id" in fields["tags"]["0"]


def test_picture_not_in_the_post_is_refused(publish, author, picture, product):
    """A tag can only point at one of the post's own pictures."""
    elsewhere = MediaFactory(owner=author)
    tag = {"product_id": product.pk, "media_id": elsewhere.pk, "x": 0.5, "y": 0.5}
    fields = _refusal(publish, author, picture, [tag])
    assert "media_id" in fields["tags"]["0"]


def test_sku_of_another_product_or_inactive_is_refused(publish, author, picture, product):
    """The SKU must be an active one of the tagged product."""
    foreign_sku = SKUFactory()
    inactive_sku = SKUFactory(product=product, active=False)
    fields = _refusal(
        publish,
        author,
        picture,
        [
            {"product_id": product.pk, "sku_id": foreign_sku.pk},
            {"product_id": product.pk, "sku_id": inactive_sku.pk},
        ],
    )
    assert "sku_id" in fields["tags"]["0"]
    assert "sku_id" in fields["tags"]["1"]


def test_tags_on_a_removed_picture_go_when_the_media_change(publish, author, picture, product):
    """Editing the media drops the tags placed on pictures no longer in the post and keeps the
    others."""
    kept = MediaFactory(owner=author)
    post = publish(
        author,
        images=0,
        media_ids=[picture.pk, kept.pk],
        tags=[
            {"product_id": product.pk, "media_id": picture.pk, "x": 0.1, "y": 0.1},
            {"product_id": product.pk, "media_id": kept.pk, "x": 0.2, "y": 0.2},
            {"product_id": product.pk},
        ],
    )
    services.post_update(post=post, actor=author, media_ids=[kept.pk])
    assert sorted(post.tags.values_list("media_id", flat=True), key=str) == [kept.pk, None]
