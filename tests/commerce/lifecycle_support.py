"""Orders at each step of their life after payment, made through the real services."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from commerce.models import Order
from commerce.orders.lifecycle import order_confirm_delivery, order_ship
from commerce.orders.services import orders_mark_paid
from tests.commerce.buying import buy
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory


def paid_order(*items, buyer=None) -> Order:
    """A paid order of `(sku, quantity)` pairs (default: 3 units of a fresh SKU)."""
    buyer = buyer or UserFactory()
    result = buy(buyer, *(items or [(SKUFactory(on_hand=10), 3)]))
    # As the payment webhook does: the orders are locked in its transaction (browser tests run
    # in autocommit, where PostgreSQL refuses a lock outside one).
    with transaction.atomic():
        orders_mark_paid(payment=result.payment)
    [order] = result.orders
    order.refresh_from_db()
    return order


def shipped_order(**kw) -> Order:
    order = paid_order(**kw)
    return order_ship(order=order, actor=None, carrier="SF Express", tracking_number="SF123")


def delivered_order(*, days_ago: float = 0) -> Order:
    order = shipped_order()
    order = order_confirm_delivery(order=order, actor=order.buyer)
    Order.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=days_ago))
    order.refresh_from_db()
    return order
