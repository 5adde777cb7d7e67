"""Steps shared by the commission tests: a product at a rate, a purchase through a sharer's link
made with the real services and paid through the sandbox webhook, and ledger checks."""

from __future__ import annotations

import json
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from backend.events.dispatcher import dispatch_event
from backend.events.models import Event, HandlerRun
from backend.ledger.models import Account
from backend.ledger.selectors import account_balance_from_entries
from commerce.models import Order, PaymentRefund, RefundStatus
from commerce.orders.lifecycle import order_confirm_delivery, order_ship, orders_complete
from commerce.payments.services import payment_refund_settle
from commerce.refunds.services import refund_approve
from rewards.models import CommissionRule, RuleScope
from tests.commerce.refunding import ask
from tests.factories_commerce import SKUFactory
from tests.shoplinks.attribution_support import buy_and_pay, make_link, stored_click


def delivered(action):
    """Run `action`, then deliver the events it published (as after its commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return action()


def sku_at(rate_bp: int, *, price: int = 10_000, on_hand: int = 50):
    """A SKU whose product pays `rate_bp` (a product rule in force since yesterday)."""
    sku = SKUFactory(price=price, on_hand=on_hand)
    CommissionRule.objects.create(
        scope=RuleScope.PRODUCT,
        product=sku.product,
        rate_bp=rate_bp,
        valid_from=timezone.now() - timedelta(days=1),
    )
    return sku


def buy_through_link(client, sharer, buyer, sku, quantity: int, *, post=None) -> Order:
    """`buyer` taps `sharer`'s link to the SKU's product and buys `quantity` units, paid."""
    link = make_link(sharer, sku.product, post)
    stored_click(link, user=buyer)
    (order,) = buy_and_pay(client, buyer, (sku, quantity))
    return order


def refund_units(order: Order, *quantities: int) -> None:
    """The buyer asks `quantities` (per line) back, the shop approves, the provider settles;
    every event that follows is delivered."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        refund = ask(Order.objects.get(pk=order.pk), *quantities)
        refund_approve(refund=refund, actor=order.merchant.owner)
    refund.refresh_from_db()
    if refund.status == RefundStatus.APPROVED:
        payment_refund = PaymentRefund.objects.get(pk=refund.payment_refund_id)
        with TestCase.captureOnCommitCallbacks(execute=True):
            payment_refund_settle(
                refund_id=payment_refund.pk, amount=payment_refund.amount, payment_id=None
            )
        refund.refresh_from_db()
    assert refund.status == RefundStatus.REFUNDED


def ship_and_deliver(order: Order) -> Order:
    order = order_ship(order=order, actor=None, carrier="SF Express", tracking_number="SF1")
    return order_confirm_delivery(order=order, actor=order.buyer)


def complete(order: Order) -> int:
    """Close the order's return window and run the completion job, delivering its events."""
    Order.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=30))
    return delivered(orders_complete)


def redeliver(name: str) -> None:
    """Deliver every `name` event again: once more as it is (the dispatcher's guard), and once as
    a copy under a new id (a publisher that announced it twice), which only the handlers'
    own idempotency can absorb."""
    firsts = {}
    for event in Event.objects.filter(name=name).order_by("pk"):
        firsts.setdefault(json.dumps(event.payload, sort_keys=True), event)
    for event in firsts.values():
        dispatch_event(event.pk)
        copy = Event.objects.create(name=event.name, payload=event.payload)
        dispatch_event(copy.pk)


def assert_handlers_succeeded() -> None:
    """The dispatcher records a handler's exception instead of raising it: none may have failed."""
    failed = HandlerRun.objects.exclude(status=HandlerRun.Status.DONE)
    assert not failed.exists(), list(failed.values("handler", "last_error"))


def assert_ledger_consistent() -> None:
    """Every account's cached balance equals the sum of its entries; all balances sum to 0."""
    total = 0
    for account in Account.objects.all():
        assert account.balance == account_balance_from_entries(account), account.kind
        total += account.balance
    assert total == 0
