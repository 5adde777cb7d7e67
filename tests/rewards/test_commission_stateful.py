"""A random life of a credited order and the sharer's money, through the real services.

Hypothesis drives one purchase through a sharer's links per run: pay, ship, deliver, partial and
full refunds, completion, payout requests, approvals and rejections, with any event delivered
again (as it is and as a copy). After every step: every transaction sums to zero and so do all
balances, no non-negative account is below zero, each commission is at most the cap on the goods
still paid, a fully refunded line's commission is reversed, and the sharer's buckets hold
exactly what the commissions and payouts say (so no event was applied twice).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from backend.errors import InvalidInput
from backend.ledger.models import Account, Entry
from backend.money import apply_rate_bp
from commerce.models import Order, OrderStatus, PaymentRefund, RefundStatus
from commerce.orders.lifecycle import order_confirm_delivery, order_ship, orders_complete
from commerce.payments.services import payment_refund_settle
from commerce.refunds.services import LineAsk, refund_approve, refund_request
from rewards import payouts
from rewards.models import Commission, CommissionRule, CommissionStatus, Payout, PayoutStatus
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory, SKUFactory
from tests.rewards.commission_support import redeliver
from tests.rewards.payout_support import balances
from tests.shoplinks.attribution_support import buy_and_pay, make_link, stored_click

pytestmark = pytest.mark.django_db

EVENTS = ["attribution.decided", "order.refunded", "order.completed"]
REFUNDABLE = {
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.PARTIALLY_REFUNDED,
}


class SharerMoney(RuleBasedStateMachine):
    # Set by the test: pytest-django's on-commit capture, so published events are handled.
    commit = None
    client = None

    @initialize(
        lines=st.lists(
            st.tuples(st.integers(1, 9999), st.integers(1, 3), st.integers(0, 4000)),
            min_size=1,
            max_size=2,
        )
    )
    def pay(self, lines):
        self.sharer, buyer = UserFactory(), UserFactory()
        self.operator = UserFactory(is_staff=True)
        payouts.payee_set(user=self.sharer, method="alipay", account="s@x.cn", real_name="S")
        merchant = MerchantFactory()
        items = []
        for price, quantity, rate_bp in lines:
            sku = SKUFactory(product__merchant=merchant, price=price, on_hand=quantity)
            CommissionRule.objects.create(
                scope="product",
                product=sku.product,
                rate_bp=rate_bp,
                valid_from=timezone.now() - timedelta(days=1),
            )
            stored_click(make_link(self.sharer, sku.product), user=buyer)
            items.append((sku, quantity))
        (self.order,) = buy_and_pay(self.client, buyer, *items)
        assert Commission.objects.filter(order=self.order).count() == len(lines)

    def _refresh(self) -> Order:
        self.order.refresh_from_db()
        return self.order

    def _units_left(self) -> dict[int, int]:
        return {
            line.pk: line.quantity - line.refunded_quantity
            for line in self.order.lines.order_by("pk")
            if line.quantity > line.refunded_quantity
        }

    @precondition(lambda self: self._refresh().status == OrderStatus.PAID)
    @rule()
    def ship(self):
        with self.commit(execute=True):
            order_ship(order=self.order, actor=None, carrier="SF Express", tracking_number="SF1")

    @precondition(
        lambda self: (
            self._refresh().status in (OrderStatus.SHIPPED, OrderStatus.PARTIALLY_REFUNDED)
            and self.order.delivered_at is None
            and self.order.events.filter(to_status=OrderStatus.SHIPPED).exists()
        )
    )
    @rule()
    def deliver(self):
        with self.commit(execute=True):
            order_confirm_delivery(order=self.order, actor=self.order.buyer)

    @precondition(lambda self: self._refresh().delivered_at is not None)
    @rule()
    def complete(self):
        later = self.order.delivered_at + timedelta(days=settings.RETURN_WINDOW_DAYS + 1)
        with self.commit(execute=True):
            orders_complete(now=later)

    @precondition(lambda self: self._refresh().status in REFUNDABLE and bool(self._units_left()))
    @rule(pick=st.integers(0, 1), units=st.integers(1, 3), everything=st.booleans())
    def refund(self, pick, units, everything):
        left = self._units_left()
        if everything:
            asked = left
        else:
            line = sorted(left)[pick % len(left)]
            asked = {line: min(units, left[line])}
        with self.commit(execute=True):
            refund = refund_request(
                order=self.order,
                buyer=self.order.buyer,
                lines=[LineAsk(line_id=line, quantity=q) for line, q in asked.items()],
                reason="Not as pictured",
            )
            refund_approve(refund=refund, actor=self.order.merchant.owner)
        refund.refresh_from_db()
        if refund.status == RefundStatus.APPROVED:
            payment_refund = PaymentRefund.objects.get(pk=refund.payment_refund_id)
            with self.commit(execute=True):
                payment_refund_settle(
                    refund_id=payment_refund.pk, amount=payment_refund.amount, payment_id=None
                )

    @rule(name=st.sampled_from(EVENTS))
    def deliver_again(self, name):
        with self.commit(execute=True):
            redeliver(name)

    @rule(share=st.integers(0, 120))
    def request_payout(self, share):
        available = balances(self.sharer)["available"]
        amount = max(1, available * share // 100)
        allowed = settings.REWARDS_PAYOUT_MINIMUM <= amount <= available
        if allowed:
            payouts.payout_request(user=self.sharer, amount=amount)
        else:
            with pytest.raises(InvalidInput):
                payouts.payout_request(user=self.sharer, amount=amount)

    def _waiting(self):
        return Payout.objects.filter(
            sharer=self.sharer, status=PayoutStatus.REQUESTED, decided_at__isnull=True
        ).first()

    @precondition(lambda self: self._waiting() is not None)
    @rule()
    def approve(self):
        with self.commit(execute=True):
            payouts.payout_approve(payout=self._waiting(), operator=self.operator)

    @precondition(lambda self: self._waiting() is not None)
    @rule()
    def reject(self):
        payouts.payout_reject(payout=self._waiting(), operator=self.operator, reason="Check ID")

    @invariant()
    def ledger_adds_up(self):
        assert (Entry.objects.aggregate(total=Sum("amount"))["total"] or 0) == 0
        assert not Account.objects.filter(non_negative=True, balance__lt=0).exists()
        unbalanced = (
            Entry.objects.values("transaction").annotate(total=Sum("amount")).exclude(total=0)
        )
        assert not unbalanced.exists()

    @invariant()
    def commissions_follow_the_goods_still_paid(self):
        cap = settings.REWARDS_RATE_CAP_BP
        for commission in Commission.objects.filter(order=self.order).select_related("line"):
            line = commission.line
            still_paid = line.net_amount - line.refunded_amount
            assert commission.amount == apply_rate_bp(still_paid, commission.rate_bp)
            assert commission.amount <= apply_rate_bp(still_paid, cap)
            if still_paid == 0:
                assert commission.status == CommissionStatus.REVERSED

    @invariant()
    def buckets_hold_exactly_what_the_commissions_and_payouts_say(self):
        mine = Commission.objects.filter(sharer=self.sharer)

        def total(queryset, field="amount"):
            return queryset.aggregate(total=Sum(field))["total"] or 0

        money = balances(self.sharer)
        assert money["pending"] == total(mine.filter(status=CommissionStatus.PENDING))
        assert money["available"] + money["in_payout"] + money["paid_out"] == total(
            mine.filter(status__in=[CommissionStatus.CONFIRMED, CommissionStatus.PAID])
        )
        sharer_payouts = Payout.objects.filter(sharer=self.sharer)
        assert money["in_payout"] == total(sharer_payouts.filter(status=PayoutStatus.REQUESTED))
        assert money["paid_out"] == total(sharer_payouts.filter(status=PayoutStatus.PAID))


def test_the_sharers_money_adds_up_through_any_life_of_a_credited_order(
    django_capture_on_commit_callbacks, client
):
    """Pay, ship, refund, complete, pay out, approve, reject, with duplicated deliveries: the
    ledger and the commissions agree after every step."""
    SharerMoney.commit = staticmethod(django_capture_on_commit_callbacks)
    SharerMoney.client = client
    run_state_machine_as_test(
        SharerMoney,
        settings=hypothesis_settings(
            max_examples=15,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
