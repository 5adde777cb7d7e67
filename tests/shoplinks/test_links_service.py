"""link_get_or_create and link_url: one link per (sharer, product, post), made on first ask."""

import pytest
from django.test import RequestFactory, override_settings

from backend.errors import NotFound
from commerce.errors import NotForSale
from shoplinks import codes
from shoplinks.errors import ProductNotInPost
from shoplinks.models import ShareLink
from shoplinks.services import link_get_or_create, link_url
from tests.factories import FollowFactory, UserFactory
from tests.factories_posts import PostFactory, ProductTagFactory
from tests.shoplinks.tap_support import product_for_sale

pytestmark = pytest.mark.django_db


def test_first_ask_makes_a_link_and_the_next_returns_it():
    """The same (sharer, product) gives the same link, made once."""
    sharer, product = UserFactory(), product_for_sale()
    first, created = link_get_or_create(sharer=sharer, product_id=product.pk, post_id=None)
    again, created_again = link_get_or_create(sharer=sharer, product_id=product.pk, post_id=None)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert ShareLink.objects.count() == 1


def test_each_post_and_each_sharer_gets_its_own_link():
    """A link from a post differs from the plain product link and from another sharer's."""
    sharer, other, product = UserFactory(), UserFactory(), product_for_sale()
    post = ProductTagFactory(product=product, post__author=sharer).post
    plain, _ = link_get_or_create(sharer=sharer, product_id=product.pk, post_id=None)
    from_post, _ = link_get_or_create(sharer=sharer, product_id=product.pk, post_id=post.pk)
    others, _ = link_get_or_create(sharer=other, product_id=product.pk, post_id=post.pk)
    assert len({plain.code, from_post.code, others.code}) == 3
    assert from_post.post_id == post.pk
    assert plain.post_id is None


def test_codes_are_short_unguessable_and_url_safe():
    """Codes are 10–12 characters of the look-alike-free alphabet, and differ every time."""
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    assert all(codes.is_well_formed(code) for code in made)
    assert not set("0O1lI-_/.%") & set("".join(made))


def test_a_friend_may_share_a_post_they_can_see():
    """Re-sharing a friend's followers-only post works when the sharer follows them."""
    author, friend, product = UserFactory(), UserFactory(), product_for_sale()
    post = ProductTagFactory(product=product, post__author=author, post__visibility="followers")
    FollowFactory(follower=friend, followee=author)
    link, created = link_get_or_create(sharer=friend, product_id=product.pk, post_id=post.post_id)
    assert created
    assert link.sharer == friend


def test_a_post_the_sharer_cannot_see_is_not_found():
    """Someone else's followers-only post is a 404 for a non-follower, and no link is made."""
    product = product_for_sale()
    tag = ProductTagFactory(product=product, post__visibility="followers")
    with pytest.raises(NotFound):
        link_get_or_create(sharer=UserFactory(), product_id=product.pk, post_id=tag.post_id)
    assert not ShareLink.objects.exists()


def test_a_post_that_does_not_tag_the_product_is_refused():
    """product_not_in_post (400) when the post tags another product or none."""
    sharer, product = UserFactory(), product_for_sale()
    post = PostFactory(author=sharer)
    ProductTagFactory(post=post, product=product_for_sale())
    with pytest.raises(ProductNotInPost) as error:
        link_get_or_create(sharer=sharer, product_id=product.pk, post_id=post.pk)
    assert error.value.code == "product_not_in_post"


def test_unknown_and_unsold_products_get_no_link():
    """An unknown product is a 404, a product not sold now a 409 not_for_sale."""
    sharer, product = UserFactory(), product_for_sale()
    with pytest.raises(NotFound):
        link_get_or_create(sharer=sharer, product_id=product.pk + 1000, post_id=None)
    product.active = False
    product.save(update_fields=["active"])
    with pytest.raises(NotForSale):
        link_get_or_create(sharer=sharer, product_id=product.pk, post_id=None)
    assert not ShareLink.objects.exists()


def test_an_existing_link_survives_the_product_leaving_the_shop():
    """Asking again for a link to a product no longer sold returns the link already made."""
    sharer, product = UserFactory(), product_for_sale()
    link, _ = link_get_or_create(sharer=sharer, product_id=product.pk, post_id=None)
    product.active = False
    product.save(update_fields=["active"])
    assert link_get_or_create(sharer=sharer, product_id=product.pk, post_id=None) == (link, False)


@override_settings(SITE_URL="https://wom.example/")
def test_link_url_is_absolute_on_the_request_host_or_the_site():
    """Without a request the URL is on SITE_URL; with one, on the host it came to."""
    link, _ = link_get_or_create(sharer=UserFactory(), product_id=product_for_sale().pk)
    assert link_url(link) == f"https://wom.example/s/{link.code}"
    request = RequestFactory().get("/api/v1/shoplinks", secure=True)
    assert link_url(link, request) == f"https://testserver/s/{link.code}"
