"""Commissions from events: credited lines only, each event applied once even when delivered
twice, refunds adding up exactly, and events arriving in any order."""

import pytest
from django.test import Client

from backend.events.models import Event
from backend.ledger.models import Transaction
from commerce.catalog.services import product_update
from commerce.models import Order
from rewards.commissions import commissions_accrue
from rewards.models import Commission, CommissionRule, CommissionStatus, RuleScope
from shoplinks.models import Decision, Reason
from tests.commerce.lifecycle_support import paid_order
from tests.commerce.refunding import ask, refund_fully
from tests.commerce.refunding import paid_order as captured_order
from tests.factories import UserFactory
from tests.rewards.commission_support import (
    assert_handlers_succeeded,
    assert_ledger_consistent,
    buy_through_link,
    complete,
    delivered,
    redeliver,
    refund_units,
    ship_and_deliver,
    sku_at,
)
from tests.rewards.payout_support import balances
from tests.shoplinks.attribution_support import buy_and_pay, make_link, stored_click

pytestmark = pytest.mark.django_db


def test_an_uncredited_line_earns_nothing():
    """A purchase with no tap on any link decides no_click: no commission, no posting."""
    sku = sku_at(1000)
    (order,) = buy_and_pay(Client(), UserFactory(), (sku, 1))
    assert Decision.objects.get(order=order).reason == Reason.NO_CLICK
    assert not Commission.objects.exists()
    assert not Transaction.objects.filter(idempotency_key__startswith="commission").exists()


def test_duplicated_deliveries_change_the_money_once():
    """Every event delivered again, and again as a copy: one commission, one accrual, one
    reduction per refund, one confirmation; balances unchanged by the repeats."""
    sharer, buyer = UserFactory(), UserFactory()
    sku = sku_at(1500, price=3333)
    order = buy_through_link(Client(), sharer, buyer, sku, 3)
    redeliver("attribution.decided")
    commission = Commission.objects.get()
    assert commission.amount == 9999 * 1500 // 10_000
    assert balances(sharer)["pending"] == commission.amount

    order = ship_and_deliver(order)
    refund_units(order, 1)
    redeliver("order.refunded")
    commission.refresh_from_db()
    assert commission.amount == 6666 * 1500 // 10_000
    assert balances(sharer)["pending"] == commission.amount

    complete(order)
    redeliver("order.completed")
    redeliver("attribution.decided")
    redeliver("order.refunded")
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.CONFIRMED
    assert balances(sharer) == {
        "pending": 0,
        "available": commission.amount,
        "in_payout": 0,
        "paid_out": 0,
    }
    keys = list(
        Transaction.objects.filter(reference=f"commission:{commission.pk}").values_list(
            "idempotency_key", flat=True
        )
    )
    assert sorted(keys) == sorted(
        [
            f"commission-accrued:{commission.pk}",
            f"commission-reduced:{commission.pk}:6666",
            f"commission-confirmed:{commission.pk}",
        ]
    )
    assert Event.objects.filter(name="commission.accrued").count() == 1
    assert Event.objects.filter(name="commission.confirmed").count() == 1
    assert_ledger_consistent()
    assert_handlers_succeeded()


def test_partial_refunds_add_up_and_a_full_refund_reverses():
    """Refunds of 1, then 2 of 3 units: ⌊rate × goods still paid⌋ after each; everything back
    to the shop at the end, the commission reversed."""
    sharer = UserFactory()
    sku = sku_at(1234, price=999)
    order = buy_through_link(Client(), sharer, UserFactory(), sku, 3)
    commission = Commission.objects.get()
    assert commission.amount == 2997 * 1234 // 10_000

    refund_units(order, 1)
    commission.refresh_from_db()
    assert commission.amount == 1998 * 1234 // 10_000
    refund_units(order, 2)

    commission.refresh_from_db()
    assert (commission.amount, commission.status) == (0, CommissionStatus.REVERSED)
    assert commission.accrued_amount == 2997 * 1234 // 10_000
    assert balances(sharer)["pending"] == 0
    assert Event.objects.filter(name="commission.reversed").count() == 2
    assert_ledger_consistent()
    assert_handlers_succeeded()


def credited_decision(order: Order, sharer) -> Decision:
    line = order.lines.get()
    link = make_link(sharer, line.product)
    return Decision.objects.create(
        line=line,
        order=order,
        product=line.product,
        buyer=order.buyer,
        link=link,
        click=stored_click(link, user=order.buyer),
        sharer=sharer,
        reason=Reason.CREDITED,
        final=True,
        net_amount=line.net_amount,
        placed_at=order.created_at,
    )


def test_an_accrual_arriving_after_a_refund_and_the_completion_catches_up():
    """Events may arrive in any order: a line already partly refunded, on an order already
    completed, is accrued, reduced and confirmed by the accrual itself."""
    sharer = UserFactory()
    sku = sku_at(1000, price=5000)
    order = ship_and_deliver(captured_order(UserFactory(), (sku, 2)))
    refund_fully(ask(order, 1))
    Order.objects.filter(pk=order.pk).update(status="completed")
    decision = credited_decision(order, sharer)

    (commission,) = commissions_accrue(decision_ids=[decision.pk])

    commission.refresh_from_db()
    assert (commission.accrued_amount, commission.amount) == (1000, 500)
    assert commission.status == CommissionStatus.CONFIRMED
    assert balances(sharer) == {"pending": 0, "available": 500, "in_payout": 0, "paid_out": 0}
    assert commissions_accrue(decision_ids=[decision.pk]) == []
    assert_ledger_consistent()


def test_accrual_of_many_lines_is_one_insert_and_one_posting(django_assert_max_num_queries):
    """Many credited lines at once: once the sharers' accounts exist, six lines of three
    sharers take no more queries than three lines of them."""
    sku = sku_at(800, price=1000, on_hand=100)
    sharers = [UserFactory() for _ in range(3)]
    decisions = [credited_decision(paid_order((sku, 1)), sharers[i % 3]).pk for i in range(12)]
    assert len(commissions_accrue(decision_ids=decisions[:3])) == 3
    with django_assert_max_num_queries(24) as few:
        commissions_accrue(decision_ids=decisions[3:6])
    with django_assert_max_num_queries(len(few)):
        created = commissions_accrue(decision_ids=decisions[6:])
    assert len(created) == 6
    assert [balances(s)["pending"] for s in sharers] == [320, 320, 320]
    assert_ledger_consistent()


def test_the_shop_setting_its_rate_extends_the_rules_history():
    """commerce publishes product.commission_rate_set; rewards closes the rule in force and
    opens the next; clearing the rate closes it with no successor."""
    sku = sku_at(1000)
    product, owner = sku.product, sku.product.merchant.owner
    delivered(lambda: product_update(product=product, actor=owner, commission_rate_bp=1500))
    delivered(lambda: product_update(product=product, actor=owner, commission_rate_bp=None))
    rules = list(
        CommissionRule.objects.filter(scope=RuleScope.PRODUCT, product=product)
        .order_by("valid_from")
        .values_list("rate_bp", "valid_to")
    )
    assert [rate for rate, _ in rules] == [1000, 1500]
    assert all(valid_to is not None for _, valid_to in rules)
    assert_handlers_succeeded()
