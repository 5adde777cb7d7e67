"""The issue's journey, end to end through the real services and events: A shares a product at
10 %, B buys 2 × 100.00 through A's link, refunds one unit, the order completes, A takes money
out. Every balance equals its ledger sum at every step."""

import pytest
from django.test import Client

from backend.errors import InvalidInput
from commerce.catalog.services import product_update
from commerce.models import Order, OrderStatus
from rewards import payouts
from rewards.models import Commission, CommissionRule, CommissionStatus, PayoutStatus, RuleScope
from shoplinks.models import Reason
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory
from tests.factories_posts import ProductTagFactory
from tests.rewards.commission_support import (
    assert_handlers_succeeded,
    assert_ledger_consistent,
    buy_through_link,
    complete,
    delivered,
    refund_units,
    ship_and_deliver,
)
from tests.rewards.payout_support import balances

pytestmark = pytest.mark.django_db


def money(sharer) -> dict:
    assert_ledger_consistent()
    return balances(sharer)


def test_the_journey_of_a_commission_from_tap_to_payout():
    """10 % of 2 × 100.00 is 20.00 pending; one unit refunded leaves 10.00; completion makes it
    available; payouts below the minimum, above the balance or without a payee are refused;
    10.00 is approved and paid, and the commission becomes paid."""
    a, b, operator = UserFactory(), UserFactory(), UserFactory(is_staff=True)
    sku = SKUFactory(price=10_000, on_hand=10)
    product = sku.product
    delivered(
        lambda: product_update(
            product=product, actor=product.merchant.owner, commission_rate_bp=1000
        )
    )
    rule = CommissionRule.objects.get(scope=RuleScope.PRODUCT, product=product)
    assert (rule.rate_bp, rule.valid_to) == (1000, None)
    post = ProductTagFactory(post__author=a, product=product).post

    order = buy_through_link(Client(), a, b, sku, 2, post=post)

    commission = Commission.objects.get(order=order)
    assert (commission.base, commission.rate_bp, commission.amount) == (20_000, 1000, 2000)
    assert (commission.rule_source, commission.rule_id) == ("product", rule.pk)
    assert commission.status == CommissionStatus.PENDING
    assert commission.decision.reason == Reason.CREDITED
    assert (commission.link.post_id, commission.click.user_id) == (post.pk, b.pk)
    assert money(a) == {"pending": 2000, "available": 0, "in_payout": 0, "paid_out": 0}

    order = ship_and_deliver(order)
    refund_units(order, 1)

    commission.refresh_from_db()
    assert (commission.amount, commission.status) == (1000, CommissionStatus.PENDING)
    assert money(a) == {"pending": 1000, "available": 0, "in_payout": 0, "paid_out": 0}

    assert complete(order) == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.COMPLETED
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.CONFIRMED
    assert money(a) == {"pending": 0, "available": 1000, "in_payout": 0, "paid_out": 0}

    with pytest.raises(InvalidInput) as refused:
        payouts.payout_request(user=a, amount=1000)
    assert refused.value.code == "payee_missing"
    payouts.payee_set(user=a, method="alipay", account="a@example.com", real_name="A Sharer")
    for amount, code in ((999, "below_minimum"), (1001, "insufficient_balance")):
        with pytest.raises(InvalidInput) as refused:
            payouts.payout_request(user=a, amount=amount)
        assert refused.value.code == code
    assert money(a) == {"pending": 0, "available": 1000, "in_payout": 0, "paid_out": 0}

    payout = payouts.payout_request(user=a, amount=1000)
    assert money(a) == {"pending": 0, "available": 0, "in_payout": 1000, "paid_out": 0}
    delivered(lambda: payouts.payout_approve(payout=payout, operator=operator))

    payout.refresh_from_db()
    commission.refresh_from_db()
    assert payout.status == PayoutStatus.PAID
    assert (commission.status, commission.payout_id) == (CommissionStatus.PAID, payout.pk)
    assert money(a) == {"pending": 0, "available": 0, "in_payout": 0, "paid_out": 1000}
    assert_handlers_succeeded()
