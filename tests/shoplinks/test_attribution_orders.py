"""on_order_paid: every paid line gets one stored final decision and one `attribution.decided`
event, from the clicks stored for the buyer; redelivery changes nothing."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from backend.events.dispatcher import dispatch_event
from backend.events.models import Event, HandlerRun
from shoplinks.attribution import handlers, on_order_paid
from shoplinks.models import Decision, Reason
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory
from tests.shoplinks.attribution_support import (
    buy_and_pay,
    decided_payloads,
    final_decision,
    forget_decisions,
    make_link,
    stored_click,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sku():
    return SKUFactory(price=2000, on_hand=20)


@pytest.fixture
def sharer():
    return UserFactory()


@pytest.fixture
def buyer():
    return UserFactory()


def test_credited_line_is_stored_and_published_with_designs_payload(client, sku, sharer, buyer):
    """A counted click on the sharer's link: the line is credited to it, and the event carries
    DESIGN.md's payload (ids, the line's net amount)."""
    link = make_link(sharer, sku.product)
    click = stored_click(link, user=buyer)

    (order,) = buy_and_pay(client, buyer, (sku, 2))

    decision = final_decision(order)
    line = order.lines.get()
    assert (decision.reason, decision.link, decision.click, decision.sharer) == (
        Reason.CREDITED,
        link,
        click,
        sharer,
    )
    assert decision.net_amount == line.net_amount == 4000
    assert decided_payloads() == [
        {
            "decision": decision.pk,
            "line": line.pk,
            "order": order.pk,
            "buyer": buyer.pk,
            "product": sku.product_id,
            "reason": "credited",
            "net_amount": 4000,
            "link": link.pk,
            "sharer": sharer.pk,
            "click": click.pk,
            "post": None,
        }
    ]


def test_last_click_wins_and_the_other_sharer_gets_a_losing_row(client, sku, buyer):
    """Two sharers' links tapped in the window: the later tap is credited, the earlier link's
    row says later_click_by_other_sharer; one event, about the winner."""
    first, second = make_link(UserFactory(), sku.product), make_link(UserFactory(), sku.product)
    early = stored_click(first, user=buyer, ago=timedelta(days=2))
    late = stored_click(second, user=buyer, ago=timedelta(hours=1))

    (order,) = buy_and_pay(client, buyer, (sku, 1))

    rows = Decision.objects.filter(order=order).order_by("-final")
    assert [(row.reason, row.final, row.link, row.click) for row in rows] == [
        (Reason.CREDITED, True, second, late),
        (Reason.LATER_CLICK_BY_OTHER_SHARER, False, first, early),
    ]
    assert [(event["reason"], event["link"]) for event in decided_payloads()] == [
        ("credited", second.pk)
    ]


def test_click_older_than_the_window_is_window_expired(client, sku, sharer, buyer, settings):
    """The only counted click is older than SHARE_ATTRIBUTION_WINDOW_DAYS: window_expired, the
    row names that link, the event names none."""
    settings.SHARE_ATTRIBUTION_WINDOW_DAYS = 3
    link = make_link(sharer, sku.product)
    stored_click(link, user=buyer, ago=timedelta(days=3, minutes=10))

    (order,) = buy_and_pay(client, buyer, (sku, 1))

    decision = final_decision(order)
    assert (decision.reason, decision.link, decision.sharer) == (
        Reason.WINDOW_EXPIRED,
        link,
        sharer,
    )
    (event,) = decided_payloads()
    assert event["reason"] == "window_expired"
    assert (event["link"], event["sharer"], event["click"], event["post"]) == (None,) * 4


def test_buying_through_ones_own_link_is_self_purchase(client, sku, sharer):
    """The sharer taps their own link and buys: self_purchase, no credit in the event."""
    link = make_link(sharer, sku.product)
    stored_click(link, user=sharer)

    (order,) = buy_and_pay(client, sharer, (sku, 1))

    assert final_decision(order).reason == Reason.SELF_PURCHASE
    assert [(event["reason"], event["sharer"]) for event in decided_payloads()] == [
        ("self_purchase", None)
    ]


@pytest.mark.parametrize("flag", ["is_bot", "is_duplicate", "is_rate_limited"])
def test_flagged_clicks_only_are_flagged_click(client, sku, sharer, buyer, flag):
    """Clicks flagged bot, duplicate or rate-limited are never counted: flagged_click."""
    link = make_link(sharer, sku.product)
    stored_click(link, user=buyer, **{flag: True})

    (order,) = buy_and_pay(client, buyer, (sku, 1))

    assert final_decision(order).reason == Reason.FLAGGED_CLICK
    assert decided_payloads()[0]["link"] is None


def test_buyer_who_never_tapped_is_no_click(client, sku, sharer, buyer):
    """Another user's click and the buyer's click on another product do not count: no_click."""
    make_link(sharer, sku.product)
    stored_click(make_link(sharer, sku.product), user=UserFactory())
    stored_click(make_link(sharer, SKUFactory().product), user=buyer)

    (order,) = buy_and_pay(client, buyer, (sku, 1))

    decision = final_decision(order)
    assert (decision.reason, decision.link, decision.sharer) == (Reason.NO_CLICK, None, None)
    assert decided_payloads()[0]["reason"] == "no_click"


def test_unmerged_visitor_clicks_do_not_count(client, sku, sharer, buyer):
    """A click kept under a visitor id (never merged into the buyer) is not the buyer's."""
    stored_click(make_link(sharer, sku.product), user=None)

    (order,) = buy_and_pay(client, buyer, (sku, 1))

    assert final_decision(order).reason == Reason.NO_CLICK


def test_each_line_is_decided_and_published_on_its_own(client, sharer, buyer):
    """An order of two products, one tapped: one credited, one no_click, one event per line."""
    tapped, untapped = SKUFactory(), SKUFactory()
    shop = tapped.product.merchant
    untapped.product.merchant = shop
    untapped.product.save()
    stored_click(make_link(sharer, tapped.product), user=buyer)

    (order,) = buy_and_pay(client, buyer, (tapped, 1), (untapped, 1))

    reasons = {
        row.product_id: row.reason for row in Decision.objects.filter(order=order, final=True)
    }
    assert reasons == {tapped.product_id: Reason.CREDITED, untapped.product_id: Reason.NO_CLICK}
    assert sorted(event["line"] for event in decided_payloads()) == sorted(
        order.lines.values_list("pk", flat=True)
    )


def test_redelivered_order_paid_changes_nothing(client, sku, sharer, buyer):
    """The handler run again on the same event, or on a second order.paid of the same order,
    stores no row and publishes no event."""
    stored_click(make_link(sharer, sku.product), user=buyer)
    buy_and_pay(client, buyer, (sku, 1))
    paid = Event.objects.get(name="order.paid")
    rows = list(Decision.objects.values_list("pk", "reason", "final"))

    on_order_paid(paid)
    on_order_paid(Event.objects.create(name="order.paid", payload=paid.payload))

    assert list(Decision.objects.values_list("pk", "reason", "final")) == rows
    assert len(decided_payloads()) == 1


def test_a_crash_before_commit_leaves_nothing_and_the_retry_decides_once(
    client, sku, sharer, buyer, monkeypatch
):
    """The handler fails after storing its rows (publishing raised): the rows roll back with
    it, and the dispatcher's retry stores each decision and publishes each event once."""
    stored_click(make_link(sharer, sku.product), user=buyer)
    publish_many = handlers.publish_many

    def crash(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(handlers, "publish_many", crash)
    buy_and_pay(client, buyer, (sku, 1))
    run = HandlerRun.objects.get(handler="shoplinks.attribution.order_paid")
    assert run.status == HandlerRun.Status.FAILED
    assert not Decision.objects.exists()

    monkeypatch.setattr(handlers, "publish_many", publish_many)
    HandlerRun.objects.filter(pk=run.pk).update(next_attempt_at=timezone.now())
    with TestCase.captureOnCommitCallbacks(execute=True):
        dispatch_event(run.event_id)

    assert list(Decision.objects.values_list("reason", flat=True)) == [Reason.CREDITED]
    assert len(decided_payloads()) == 1


def test_a_line_decided_meanwhile_is_left_and_the_rest_decided(client, sharer, buyer):
    """When another delivery already decided one line, only the other lines are decided and
    published (the unique constraint on final decisions holds the line)."""
    first, second = SKUFactory(), SKUFactory()
    second.product.merchant = first.product.merchant
    second.product.save()
    stored_click(make_link(sharer, first.product), user=buyer)
    stored_click(make_link(sharer, second.product), user=buyer)
    buy_and_pay(client, buyer, (first, 1), (second, 1))
    paid = Event.objects.get(name="order.paid")
    kept = Decision.objects.get(product=first.product)
    forget_decisions(Decision.objects.filter(product=second.product))
    Event.objects.filter(name="attribution.decided").delete()

    on_order_paid(paid)

    assert Decision.objects.get(product=first.product) == kept
    assert Decision.objects.get(product=second.product).reason == Reason.CREDITED
    assert [event["product"] for event in decided_payloads()] == [second.product_id]


def test_order_paid_costs_a_fixed_number_of_queries(
    client, sharer, buyer, django_assert_max_num_queries
):
    """Deciding an order costs the same few queries whatever its clicks and lines."""
    skus = [SKUFactory() for _ in range(3)]
    for other in skus[1:]:
        other.product.merchant = skus[0].product.merchant
        other.product.save()
    for sku in skus:
        link = make_link(sharer, sku.product)
        for _ in range(3):
            stored_click(link, user=buyer)
    buy_and_pay(client, buyer, *[(sku, 1) for sku in skus])
    paid = Event.objects.get(name="order.paid")
    forget_decisions(Decision.objects.all())

    # Flush (nothing buffered), decided lines, clicks, 3 × (savepoint, insert, release), events.
    with django_assert_max_num_queries(12):
        on_order_paid(paid)

    assert Decision.objects.filter(reason=Reason.CREDITED).count() == 3
