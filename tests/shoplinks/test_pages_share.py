"""The share sheet fragments of the product and post pages: GET never writes, opening the sheet
(POST) makes the sharer's link(s), a visitor shares the plain page URL, and the QR file is the
sharer's own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from shoplinks.models import ShareLink
from shoplinks.services import link_get_or_create
from tests.factories import FollowFactory, UserFactory
from tests.factories_commerce import ProductFactory, SKUFactory
from tests.factories_posts import PostFactory, ProductTagFactory

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _product(name: str = "Tainong mangoes"):
    return SKUFactory(product=ProductFactory(name=name), price=3990).product


def _product_share(product_id: int) -> str:
    return reverse("shoplinks:share_button", kwargs={"product_id": product_id})


def _post_share(post_id: int) -> str:
    return reverse("shoplinks:post_share", kwargs={"post_id": post_id})


def test_a_visitor_shares_the_plain_product_url_with_a_hint_to_sign_in():
    """Anonymous: the sheet is ready at once with the product page's absolute URL, its QR code
    and a hint that signing in earns a commission; no link is made."""
    product = _product()

    response = _client().get(_product_share(product.pk))

    content = response.content.decode()
    assert response.status_code == 200
    page = f"http://testserver{reverse('commerce:product_detail', args=[product.pk])}"
    assert f'data-url="{page}"' in content
    assert '<svg viewBox="0 0 ' in content
    assert "Sign in</a> to share your own link and earn a commission" in content
    assert "data-share-load" not in content
    assert not ShareLink.objects.exists()


def test_a_visitor_cannot_make_a_link():
    """A visitor's POST (opening the sheet by hand) answers the plain sheet and writes nothing."""
    product = _product()

    response = _client().post(_product_share(product.pk))

    assert response.status_code == 200
    assert "/s/" not in response.content.decode()
    assert not ShareLink.objects.exists()


def test_get_renders_the_button_for_a_sharer_without_writing(django_assert_max_num_queries):
    """Signed in, GET is only the button that makes the link when the sheet opens (a POST): no
    link exists after it, whatever the number of renders."""
    sharer = UserFactory()
    product = _product()
    client = _client(sharer)

    with django_assert_max_num_queries(3):
        response = client.get(_product_share(product.pk))
    client.get(_product_share(product.pk))

    content = response.content.decode()
    assert f'data-share-load="{_product_share(product.pk)}"' in content
    assert "Share and earn" in content
    assert not ShareLink.objects.exists()


def test_opening_the_sheet_makes_one_link_and_shows_its_short_url_copy_and_qr():
    """POST makes the sharer's link (once: again is the same link) and answers its short URL,
    the Copy and Web Share buttons, the inline QR and the printable QR file."""
    sharer = UserFactory()
    product = _product()
    client = _client(sharer)

    first = client.post(_product_share(product.pk)).content.decode()
    second = client.post(_product_share(product.pk)).content.decode()

    link = ShareLink.objects.get()
    assert (link.sharer, link.product, link.post) == (sharer, product, None)
    short = f"http://testserver/s/{link.code}"
    assert f'value="{short}"' in first
    assert f'value="{short}"' in second
    assert "data-share-copy" in first
    assert "data-web-share hidden" in first
    assert '<svg viewBox="0 0 ' in first
    assert reverse("shoplinks:qr", kwargs={"code": link.code}) in first
    assert "you earn a commission" in first
    assert f'href="{reverse("shoplinks:my_links")}"' in first


def test_a_product_not_for_sale_has_no_share_sheet():
    """An inactive product (or an unknown id) is the 404 page for GET and POST."""
    product = ProductFactory(active=False)
    client = _client(UserFactory())

    assert client.get(_product_share(product.pk)).status_code == 404
    assert client.post(_product_share(product.pk)).status_code == 404
    assert client.get(_product_share(999_999)).status_code == 404
    assert not ShareLink.objects.exists()


def test_a_post_share_makes_one_link_per_tagged_product_from_that_post():
    """A friend re-sharing a post gets a link per product it tags, each remembering the post."""
    author, friend = UserFactory(), UserFactory()
    post = PostFactory(author=author)
    mangoes, lychees = _product("Mangoes"), _product("Lychees")
    ProductTagFactory(post=post, product=mangoes)
    ProductTagFactory(post=post, product=lychees)

    content = _client(friend).post(_post_share(post.pk)).content.decode()

    links = ShareLink.objects.filter(sharer=friend, post=post)
    assert {link.product_id for link in links} == {mangoes.pk, lychees.pk}
    for link in links:
        assert f'value="http://testserver/s/{link.code}"' in content
    assert "Your links" in content


def test_a_post_that_tags_nothing_for_sale_shares_its_own_url():
    """No tag (or only products no longer sold): the post's plain URL, no link, no button
    that would POST."""
    sharer = UserFactory()
    post = PostFactory()
    ProductTagFactory(post=post, product=ProductFactory(active=False))
    client = _client(sharer)

    content = client.get(_post_share(post.pk)).content.decode()
    posted = client.post(_post_share(post.pk)).content.decode()

    page = f"http://testserver{reverse('posts:detail', args=[post.pk])}"
    assert f'data-url="{page}"' in content
    assert "data-share-load" not in content
    assert f'data-url="{page}"' in posted
    assert not ShareLink.objects.exists()


def test_a_post_the_viewer_may_not_see_has_no_share_sheet():
    """A followers-only post is the 404 page for a stranger, GET or POST, and makes no link."""
    post = PostFactory(visibility="followers")
    ProductTagFactory(post=post, product=_product())
    stranger = UserFactory()

    assert _client(stranger).get(_post_share(post.pk)).status_code == 404
    assert _client(stranger).post(_post_share(post.pk)).status_code == 404
    assert not ShareLink.objects.exists()


def test_a_follower_may_share_a_followers_only_post():
    """Whoever may see the post may share it."""
    post = PostFactory(visibility="followers")
    product = _product()
    ProductTagFactory(post=post, product=product)
    follower = UserFactory()
    FollowFactory(follower=follower, followee=post.author)

    response = _client(follower).post(_post_share(post.pk))

    assert response.status_code == 200
    assert ShareLink.objects.get().post == post


def test_the_qr_file_is_an_svg_for_its_sharer_only():
    """The sharer gets image/svg+xml that cannot be sniffed into anything else; another user
    gets the 404 page and a visitor is sent to sign in."""
    sharer = UserFactory()
    link, _ = link_get_or_create(sharer=sharer, product_id=_product().pk, post_id=None)
    url = reverse("shoplinks:qr", kwargs={"code": link.code})

    response = _client(sharer).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.content.startswith(b"<?xml")
    assert b"<svg" in response.content
    assert _client(UserFactory()).get(url).status_code == 404
    anonymous = _client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:signin"))


def test_a_post_share_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    """Rendering a post's share button reads the post and its tags in batches: nine queries
    (session, user, post, and the post's card data) for a post tagging five products, as for
    one tagging a single product."""
    viewer = UserFactory()
    post = PostFactory()
    for number in range(5):
        ProductTagFactory(post=post, product=_product(f"Fruit {number}"))
    client = _client(viewer)

    with django_assert_max_num_queries(9):
        response = client.get(_post_share(post.pk))

    assert response.status_code == 200
    assert "Share and earn" in response.content.decode()
