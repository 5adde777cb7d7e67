"""decisions_for: what a sharer sees of the paid lines that touched their links — only their own,
newest first, the reason in plain words."""

from dataclasses import fields
from datetime import timedelta

import pytest

from shoplinks.models import Reason
from shoplinks.selectors import (
    REASON_WORDS,
    SharerDecision,
    decisions_for,
    links_of,
    reason_in_words,
)
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory
from tests.shoplinks.attribution_support import buy_and_pay, make_link, stored_click

pytestmark = pytest.mark.django_db


@pytest.fixture
def sku():
    return SKUFactory(price=1500, on_hand=20)


def test_every_reason_has_plain_words(settings):
    """Each reason reads as a sentence, the window's length taken from the setting."""
    settings.SHARE_ATTRIBUTION_WINDOW_DAYS = 10
    assert set(REASON_WORDS) == set(Reason)
    assert reason_in_words(Reason.CREDITED) == "Credited"
    assert reason_in_words(Reason.SELF_PURCHASE) == "The buyer is you"
    assert reason_in_words(Reason.WINDOW_EXPIRED) == (
        "The tap was more than 10 days before the order"
    )


def test_winner_and_loser_each_see_their_own_row_only(client, sku):
    """Two sharers' links tapped: the winner sees Credited, the other sees that a later tap on
    another sharer's link won; neither sees the other's row."""
    winner, loser, buyer = UserFactory(), UserFactory(), UserFactory()
    stored_click(make_link(loser, sku.product), user=buyer, ago=timedelta(days=1))
    winning_link = make_link(winner, sku.product)
    stored_click(winning_link, user=buyer)

    (order,) = buy_and_pay(client, buyer, (sku, 2))

    (won,) = decisions_for(sharer=winner)
    assert (won.order_id, won.product_id, won.product_name, won.link_code) == (
        order.pk,
        sku.product_id,
        sku.product.name,
        winning_link.code,
    )
    assert (won.reason, won.reason_words, won.credited, won.net_amount) == (
        Reason.CREDITED,
        "Credited",
        True,
        3000,
    )
    (lost,) = decisions_for(sharer=loser)
    assert (lost.reason_words, lost.credited) == (
        "A later tap on another sharer's link won",
        False,
    )
    assert decisions_for(sharer=buyer) == []


def test_lines_without_a_tap_on_any_link_are_nobodys(client, sku):
    """A no_click line belongs to no sharer: it is listed for none."""
    sharer = UserFactory()
    make_link(sharer, sku.product)

    buy_and_pay(client, UserFactory(), (sku, 1))

    assert decisions_for(sharer=sharer) == []


def test_nothing_tells_the_sharer_who_bought():
    """A sharer's row carries the order and the product, never the buyer."""
    assert not {field.name for field in fields(SharerDecision)} & {"buyer", "buyer_id", "user"}


def test_self_purchase_is_shown_to_the_sharer_as_their_own_purchase(client, sku):
    """The sharer who bought through their own link sees "The buyer is you"."""
    sharer = UserFactory()
    stored_click(make_link(sharer, sku.product), user=sharer)

    buy_and_pay(client, sharer, (sku, 1))

    assert [row.reason_words for row in decisions_for(sharer=sharer)] == ["The buyer is you"]


def test_newest_first_in_two_queries(client, django_assert_num_queries):
    """Several decisions come newest first, for two queries whatever their number."""
    sharer = UserFactory()
    orders = []
    for _ in range(3):
        sku = SKUFactory()
        buyer = UserFactory()
        stored_click(make_link(sharer, sku.product), user=buyer)
        orders += buy_and_pay(client, buyer, (sku, 1))

    with django_assert_num_queries(2):
        rows = decisions_for(sharer=sharer)

    assert [row.order_id for row in rows] == [order.pk for order in reversed(orders)]


def test_links_figures_count_the_orders_credited_to_each_link(client, sku):
    """links_of's `order_count` agrees with the decisions: the credited link counts the order
    once (two lines of it), the link that lost counts none."""
    winner, loser, buyer = UserFactory(), UserFactory(), UserFactory()
    second_sku = SKUFactory(product=sku.product)
    stored_click(make_link(loser, sku.product), user=buyer, ago=timedelta(days=1))
    stored_click(make_link(winner, sku.product), user=buyer)

    buy_and_pay(client, buyer, (sku, 1), (second_sku, 1))

    assert [link.order_count for link in links_of(sharer=winner)] == [1]
    assert [link.order_count for link in links_of(sharer=loser)] == [0]
