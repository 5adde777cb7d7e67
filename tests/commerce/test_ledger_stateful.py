"""A random life of orders through the real services; the shop's money adds up at every step.

Hypothesis drives one order per run through pay, ship, partial and full refunds, delivery and
completion, in any order the shop's rules allow. After every step: the shop's payable is goods +
shipping − fee on kept goods − what was refunded, platform revenue is the fee on kept goods, the
gateway holds what was paid less what went back, and every transaction sums to zero.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import Sum
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

from backend.ledger.models import AccountKind, Entry, Transaction
from backend.ledger.selectors import account_get
from backend.money import apply_rate_bp
from commerce.errors import OrderNotRefundable
from commerce.models import Order, OrderStatus, PaymentRefund, Refund, RefundStatus, Shipment
from commerce.orders.lifecycle import order_confirm_delivery, order_ship, orders_complete
from commerce.payments.services import payment_capture, payment_refund_settle
from commerce.refunds.services import LineAsk, refund_approve, refund_request
from tests.commerce.buying import buy
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory, SKUFactory

pytestmark = pytest.mark.django_db

REFUNDABLE = {
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.PARTIALLY_REFUNDED,
}


def _balance(kind: str, owner_id: int | None = None) -> int:
    account = account_get(kind=kind, owner_id=owner_id)
    return 0 if account is None else account.balance


def _fee(goods: int) -> int:
    return apply_rate_bp(goods, settings.PLATFORM_FEE_BP)


class OrderMoney(RuleBasedStateMachine):
    # Set by the test: pytest-django's on-commit capture, so published events are handled.
    commit = None

    @initialize(
        shipping=st.sampled_from([0, 600, 1000]),
        lines=st.lists(st.tuples(st.integers(1, 9999), st.integers(1, 4)), min_size=1, max_size=3),
    )
    def pay(self, shipping, lines):
        self.revenue_before = _balance(AccountKind.PLATFORM_REVENUE)
        self.clearing_before = _balance(AccountKind.GATEWAY_CLEARING)
        merchant = MerchantFactory(shipping_fee=shipping)
        items = [
            (SKUFactory(product__merchant=merchant, price=price, on_hand=quantity), quantity)
            for price, quantity in lines
        ]
        result = buy(UserFactory(), *items)
        with self.commit(execute=True):
            payment_capture(payment_id=result.payment.pk, amount=result.payment.amount)
        self.order = Order.objects.get(pk=result.orders[0].pk)
        assert self.order.status == OrderStatus.PAID

    def _refresh(self) -> Order:
        self.order.refresh_from_db()
        return self.order

    def _units_left(self) -> dict[int, int]:
        return {
            line.pk: line.quantity - line.refunded_quantity
            for line in self.order.lines.order_by("pk")
            if line.quantity > line.refunded_quantity
        }

    def _shipped(self) -> bool:
        return Shipment.objects.filter(order=self.order).exists()

    def _refundable(self) -> bool:
        return self._refresh().status in REFUNDABLE and bool(self._units_left())

    @precondition(
        lambda self: (
            self._refresh().status in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)
            and not self._shipped()
        )
    )
    @rule()
    def ship(self):
        with self.commit(execute=True):
            order_ship(order=self.order, actor=None, carrier="SF Express", tracking_number="SF1")

    @precondition(
        lambda self: (
            self._shipped()
            and self._refresh().delivered_at is None
            and self.order.status in (OrderStatus.SHIPPED, OrderStatus.PARTIALLY_REFUNDED)
        )
    )
    @rule()
    def deliver(self):
        with self.commit(execute=True):
            order_confirm_delivery(order=self.order, actor=self.order.buyer)

    @precondition(lambda self: self._refresh().delivered_at is not None)
    @rule()
    def complete(self):
        window_over = self.order.delivered_at + timedelta(days=settings.RETURN_WINDOW_DAYS, hours=1)
        with self.commit(execute=True):
            orders_complete(now=window_over)
        if self._refresh().status != OrderStatus.REFUNDED:
            assert self.order.status == OrderStatus.COMPLETED

    @precondition(lambda self: self._refundable())
    @rule(pick=st.integers(0, 2), units=st.integers(1, 4))
    def refund_some(self, pick, units):
        left = self._units_left()
        line_id = sorted(left)[pick % len(left)]
        self._refund({line_id: min(units, left[line_id])})

    @precondition(lambda self: self._refundable())
    @rule()
    def refund_all(self):
        self._refund(self._units_left())

    def _refund(self, units: dict[int, int]) -> None:
        with self.commit(execute=True):
            refund = refund_request(
                order=self.order,
                buyer=self.order.buyer,
                lines=[LineAsk(line_id=line, quantity=q) for line, q in units.items()],
                reason="Not as pictured",
            )
            refund_approve(refund=refund, actor=self.order.merchant.owner)
        refund.refresh_from_db()
        if refund.status == RefundStatus.APPROVED:
            # The sandbox's refund.succeeded, as its webhook handler applies it.
            payment_refund = PaymentRefund.objects.get(pk=refund.payment_refund_id)
            with self.commit(execute=True):
                payment_refund_settle(
                    refund_id=payment_refund.pk, amount=payment_refund.amount, payment_id=None
                )
            refund.refresh_from_db()
        assert refund.status == RefundStatus.REFUNDED

    @precondition(
        lambda self: self._refresh().status in (OrderStatus.COMPLETED, OrderStatus.REFUNDED)
    )
    @rule()
    def refund_after_the_end_is_refused(self):
        line = self.order.lines.order_by("pk").first()
        with pytest.raises(OrderNotRefundable):
            refund_request(
                order=self.order,
                buyer=self.order.buyer,
                lines=[LineAsk(line_id=line.pk, quantity=1)],
                reason="Changed my mind",
            )

    @invariant()
    def money_adds_up(self):
        order = self._refresh()
        refunds = Refund.objects.filter(order=order, status=RefundStatus.REFUNDED).aggregate(
            goods=Sum("amount"), shipping=Sum("shipping_amount")
        )
        goods = order.subtotal - order.discount
        refunded_goods = refunds["goods"] or 0
        refunded = refunded_goods + (refunds["shipping"] or 0)
        kept = goods - refunded_goods
        assert _balance(AccountKind.MERCHANT_PAYABLE, order.merchant_id) == (
            goods + order.shipping - refunded - _fee(kept)
        )
        assert _balance(AccountKind.PLATFORM_REVENUE) - self.revenue_before == _fee(kept)
        assert _balance(AccountKind.GATEWAY_CLEARING) - self.clearing_before == -(
            order.total - refunded
        )
        if order.status == OrderStatus.REFUNDED:
            assert kept == 0

    @invariant()
    def transactions_balance(self):
        posted = Transaction.objects.filter(reference=f"order:{self.order.pk}")
        for transaction in posted:
            assert (
                sum(Entry.objects.filter(transaction=transaction).values_list("amount", flat=True))
                == 0
            )


def test_the_shops_money_adds_up_through_any_life_of_an_order(django_capture_on_commit_callbacks):
    """Pay, ship, refund (partly, wholly), deliver, complete in any allowed order: the ledger
    matches the order's goods, shipping, fee and refunds after every step."""
    OrderMoney.commit = staticmethod(django_capture_on_commit_callbacks)
    run_state_machine_as_test(
        OrderMoney,
        settings=hypothesis_settings(
            max_examples=15,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
