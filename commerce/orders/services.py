"""Order status changes. Each locks the order row, checks the transition table, records an
OrderEvent and publishes what happened, inside one transaction."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.errors import InvalidTransition
from backend.events.services import publish
from commerce.checkout.stock import stock_release
from commerce.models import Order, OrderEvent, OrderLine, OrderStatus, Payment, PaymentStatus
from commerce.orders.transitions import check_move


def _move(order: Order, to_status: str, *, actor: User | None, note: str = "") -> None:
    """Precondition: `order` was read with SELECT FOR UPDATE in the current transaction."""
    check_move(order.status, to_status)
    OrderEvent.objects.create(
        order=order, from_status=order.status, to_status=to_status, actor=actor, note=note[:300]
    )
    order.status = to_status


def orders_mark_paid(*, payment: Payment) -> list[Order]:
    """Every unpaid order of `payment` becomes paid; publishes `order.paid` per order.

    Call inside the payment's locked transaction (the payments webhook holds the payment row),
    so two deliveries cannot both mark the same orders. Orders no longer pending (cancelled
    meanwhile) are left alone: the caller refunds what they no longer cover.
    """
    now = timezone.now()
    orders = list(
        Order.objects.select_for_update()
        .filter(payment=payment, status=OrderStatus.PENDING_PAYMENT)
        .order_by("pk")
    )
    lines_by_order: dict[int, list[OrderLine]] = {}
    for line in OrderLine.objects.filter(order__in=orders).order_by("pk"):
        lines_by_order.setdefault(line.order_id, []).append(line)
    for order in orders:
        _move(order, OrderStatus.PAID, actor=None, note="Payment received.")
        order.paid_at = now
        order.save(update_fields=["status", "paid_at"])
        publish(
            "order.paid",
            {
                "order": order.pk,
                "buyer": order.buyer_id,
                "placed_at": order.created_at.isoformat(),
                "lines": [
                    {
                        "line": line.pk,
                        "product": line.product_id,
                        "sku": line.sku_id,
                        "category": line.category_id,
                        "merchant": line.merchant_id,
                        "quantity": line.quantity,
                        "net_amount": line.net_amount,
                    }
                    for line in lines_by_order.get(order.pk, [])
                ],
            },
        )
    return orders


@transaction.atomic
def order_cancel(*, order: Order, actor: User | None, reason: str) -> Order:
    """Cancel an unpaid order and release its stock; publishes `order.cancelled`.

    Raises InvalidTransition (409) once the order is paid or already cancelled.
    """
    order = Order.objects.select_for_update().get(pk=order.pk)
    _move(order, OrderStatus.CANCELLED, actor=actor, note=reason)
    order.cancelled_at = timezone.now()
    order.save(update_fields=["status", "cancelled_at"])
    stock_release(items=OrderLine.objects.filter(order=order).values_list("sku_id", "quantity"))
    publish("order.cancelled", {"order": order.pk, "buyer": order.buyer_id})
    return order


def payments_expire(*, now: datetime | None = None) -> int:
    """The payment timeout: cancel the unpaid orders of payments past their expiry
    (set at checkout from PAYMENT_TIMEOUT_MINUTES); returns how many orders it cancelled.

    Each order is cancelled in its own transaction, so one failure does not hold back the rest;
    a payment confirmed meanwhile wins the row lock and its order is left paid.
    """
    now = now or timezone.now()
    expired = Order.objects.filter(
        status=OrderStatus.PENDING_PAYMENT,
        # A declined payment may still be retried until it expires; then its stock goes back.
        payment__status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED],
        payment__expires_at__lte=now,
    ).order_by("pk")
    cancelled = 0
    for order in expired.only("pk"):
        try:
            order_cancel(order=order, actor=None, reason="Payment not received in time.")
        except InvalidTransition:
            continue
        cancelled += 1
    return cancelled
