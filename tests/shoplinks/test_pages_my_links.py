"""The sharer's "my links" page: their links with counted taps, orders and conversion, the
attribution decisions of paid lines that touched them in plain words, a friendly empty state,
and never another sharer's links or decisions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from shoplinks.pages.mine import conversion
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory
from tests.factories_posts import PostFactory, ProductTagFactory
from tests.shoplinks.attribution_support import buy_and_pay, make_link, stored_click

pytestmark = pytest.mark.django_db

MY_LINKS = "/me/links/"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_page_is_at_me_links_and_needs_sign_in():
    """`shoplinks:my_links` is /me/links/; a visitor is sent to sign in and back."""
    assert reverse("shoplinks:my_links") == MY_LINKS

    response = _client().get(MY_LINKS)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:signin')}?next={MY_LINKS}"


def test_a_sharer_without_links_gets_the_empty_state():
    """No links yet: a friendly explanation and a way to the shop, no figures."""
    content = _client(UserFactory()).get(MY_LINKS).content.decode()

    assert "No share links yet" in content
    assert reverse("commerce:product_list") in content
    assert "data-total-clicks" not in content


def test_links_show_counted_taps_orders_and_conversion(client):
    """A link with four counted taps, two flagged ones and one credited order shows 4 taps,
    1 order and 25 % conversion; the post it came from is named."""
    sharer, buyer = UserFactory(), UserFactory()
    sku = SKUFactory(price=2500, product__name="Lychee crate")
    post = PostFactory(author=sharer, text="Lychees at dawn\nso sweet")
    ProductTagFactory(post=post, product=sku.product)
    link = make_link(sharer, sku.product, post)
    for minutes in (50, 40, 30):
        stored_click(link, ago=timedelta(minutes=minutes))
    stored_click(link, user=buyer)
    stored_click(link, is_bot=True)
    stored_click(link, is_duplicate=True)
    buy_and_pay(client, buyer, (sku, 1))

    content = _client(sharer).get(MY_LINKS).content.decode()

    assert f'data-link="{link.code}"' in content
    assert "Lychee crate" in content
    assert "From the post “Lychees at dawn”" in content
    assert "<dd data-clicks>4</dd>" in content
    assert "<dd data-orders>1</dd>" in content
    assert "<dd>25%</dd>" in content
    assert f'value="http://testserver/s/{link.code}"' in content


def test_decisions_are_in_plain_words_with_the_order_and_amount(client):
    """A credited line reads "Credited" with its order and net amount; a line where the
    sharer's own purchase was the only tap reads "The buyer is you"."""
    sharer, buyer = UserFactory(), UserFactory()
    sku = SKUFactory(price=3000, product__name="Sun-dried figs")
    link = make_link(sharer, sku.product)
    stored_click(link, user=buyer)
    [credited] = buy_and_pay(client, buyer, (sku, 1))
    stored_click(link, user=sharer)
    buy_and_pay(client, sharer, (sku, 1))

    content = _client(sharer).get(MY_LINKS).content.decode()

    assert 'data-reason="credited"' in content
    assert (
        '<span class="decision-words decision-words-yes" data-decision>Credited</span>' in content
    )
    assert f"Order {credited.pk} · ¥30.00" in content
    assert 'data-reason="self_purchase"' in content
    assert "The buyer is you" in content


def test_nobody_sees_another_sharers_links_or_decisions(client):
    """Another sharer's link, its taps and its credited order appear nowhere on my page."""
    me, other, buyer = UserFactory(), UserFactory(), UserFactory()
    mine = make_link(me, SKUFactory(product__name="My melons").product)
    sku = SKUFactory(product__name="Their peaches")
    theirs = make_link(other, sku.product)
    stored_click(theirs, user=buyer)
    buy_and_pay(client, buyer, (sku, 1))

    content = _client(me).get(MY_LINKS).content.decode()

    assert mine.code in content
    assert theirs.code not in content
    assert "Their peaches" not in content
    assert "data-reason=" not in content


def test_the_page_costs_the_same_queries_for_many_links(django_assert_max_num_queries):
    """Links, their figures, pictures and decisions are read in batches: ten links cost no
    more queries than one."""
    sharer = UserFactory()
    for _ in range(10):
        link = make_link(sharer, SKUFactory().product)
        stored_click(link)
    client = _client(sharer)

    with django_assert_max_num_queries(8):
        response = client.get(MY_LINKS)

    assert response.content.decode().count('class="link-card card"') == 10


def test_conversion_is_orders_per_counted_tap():
    """One decimal at most, none when whole; a dash before the first tap."""
    assert conversion(1, 4) == "25%"
    assert conversion(1, 3) == "33.3%"
    assert conversion(0, 0) == "–"
    assert conversion(0, 7) == "0%"
