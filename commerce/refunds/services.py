"""Refunds: the buyer asks, the shop decides, the provider sends the money back.

requested → approved (a PaymentRefund asked of the provider) → refunded (the provider confirmed:
lines, stock and order status change then), or requested → rejected. A request holds its units
from the moment it is made, so two open requests can never cover the same unit.

Lock order, the payments code's: payment, then order, then refund.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from backend.accounts.models import User
from backend.audit.services import audit_record
from backend.errors import InvalidInput, NotFound
from backend.events.services import publish
from commerce.checkout.stock import stock_release
from commerce.errors import OrderNotRefundable, RefundAlreadyDecided, RefundUnitsUnavailable
from commerce.models import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentRefund,
    Refund,
    RefundLine,
    RefundStatus,
    Shipment,
)
from commerce.orders.transitions import check_move
from commerce.payments.services import payment_refund_create

# A refund may be asked for from payment until completion (API.md).
REFUNDABLE = (
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.PARTIALLY_REFUNDED,
)
# Units and money a line has given up: settled, or held by an open request.
TAKEN = (RefundStatus.REQUESTED, RefundStatus.APPROVED, RefundStatus.REFUNDED)


@dataclass(frozen=True)
class LineAsk:
    line_id: int
    quantity: int


def line_refund_amount(
    *, net: int, quantity: int, taken_units: int, taken_amount: int, k: int
) -> int:
    """What refunding `k` more units of a line refunds (DESIGN.md): ⌊net × k / quantity⌋, and
    all that is still unrefunded when `k` are its last units, so the parts add up to net exactly
    (a line of 9.98 over 3 units: 3.32, 3.32, 3.34)."""
    if taken_units + k == quantity:
        return net - taken_amount
    return net * k // quantity


@transaction.atomic
def refund_request(*, order: Order, buyer: User, lines: Iterable[LineAsk], reason: str) -> Refund:
    """The buyer asks for `lines` of `order` back. 409 `order_not_refundable` unless the order is
    paid, shipped, delivered or partially refunded; 409 `refund_units_unavailable` for units
    already refunded or in an open request; 400 for lines not of this order."""
    asks = list(lines)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Say why you want a refund.", fields={"reason": "Required."})
    if not asks:
        raise InvalidInput("Pick at least one item to refund.", fields={"lines": "Required."})
    if len({ask.line_id for ask in asks}) != len(asks):
        raise InvalidInput("Name each item once.", fields={"lines": "A line appears twice."})
    if any(ask.quantity < 1 for ask in asks):
        raise InvalidInput("Quantities start at 1.", fields={"lines": "Quantity below 1."})
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.buyer_id != buyer.pk:
        raise NotFound("This order does not exist.")
    if order.status not in REFUNDABLE:
        raise OrderNotRefundable(
            f"An order that is {OrderStatus(order.status).label.lower()} cannot be refunded.",
            fields={"status": order.status},
        )
    order_lines = {line.pk: line for line in order.lines.order_by("pk")}
    unknown = [ask.line_id for ask in asks if ask.line_id not in order_lines]
    if unknown:
        raise InvalidInput(
            "These items are not in this order.", fields={"lines": f"Unknown line {unknown[0]}."}
        )
    taken = _taken(order)
    refund = Refund(order=order, buyer=buyer, reason=reason[:500], amount=0)
    refund_lines = []
    for ask in asks:
        line = order_lines[ask.line_id]
        units, amount = taken.get(line.pk, (0, 0))
        if units + ask.quantity > line.quantity:
            raise RefundUnitsUnavailable(
                f"Only {line.quantity - units} of {line.product_name} can still be refunded.",
                fields={"lines": f"Line {line.pk}: {line.quantity - units} left."},
            )
        share = line_refund_amount(
            net=line.net_amount,
            quantity=line.quantity,
            taken_units=units,
            taken_amount=amount,
            k=ask.quantity,
        )
        refund.amount += share
        refund_lines.append(RefundLine(order_line=line, quantity=ask.quantity, amount=share))
        taken[line.pk] = (units + ask.quantity, amount + share)
    # An estimate shown to the buyer; approval settles it against what is decided by then.
    if _covers_all(order_lines.values(), taken) and not _shipped(order):
        refund.shipping_amount = order.shipping
    refund.save()
    for refund_line in refund_lines:
        refund_line.refund = refund
    RefundLine.objects.bulk_create(refund_lines)
    return refund


@transaction.atomic
def refund_approve(*, refund: Refund, actor: User) -> Refund:
    """The shop agrees: the provider is asked for goods + shipping back. Shipping goes back
    only if, with this refund, every unit of the order is refunded or approved for refund and
    the order has still not shipped."""
    refund, order = _lock_for_decision(refund)
    before = _state(refund)
    decided = _taken(order, statuses=(RefundStatus.APPROVED, RefundStatus.REFUNDED))
    for refund_line in refund.lines.all():
        units, amount = decided.get(refund_line.order_line_id, (0, 0))
        decided[refund_line.order_line_id] = (units + refund_line.quantity, amount)
    whole = _covers_all(order.lines.all(), decided)
    refund.shipping_amount = order.shipping if whole and not _shipped(order) else 0
    refund.status = RefundStatus.APPROVED
    refund.decided_by = actor
    refund.decided_at = timezone.now()
    total = refund.amount + refund.shipping_amount
    if total:
        refund.payment_refund = payment_refund_create(
            payment=order.payment,
            amount=total,
            reason=f"Refund {refund.pk} of order {order.pk}: {refund.reason}",
        )
    refund.save(
        update_fields=["status", "decided_by", "decided_at", "shipping_amount", "payment_refund"]
    )
    audit_record(
        actor=actor, action="refund.approve", target=refund, before=before, after=_state(refund)
    )
    _publish_decision(refund, order)
    if not total:
        # Nothing to send back (a line given away free): settled at once.
        _settle(refund, order)
    return refund


@transaction.atomic
def refund_reject(*, refund: Refund, actor: User) -> Refund:
    """The shop refuses; the units are free to be asked for again."""
    refund, order = _lock_for_decision(refund)
    before = _state(refund)
    refund.status = RefundStatus.REJECTED
    refund.decided_by = actor
    refund.decided_at = timezone.now()
    refund.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor, action="refund.reject", target=refund, before=before, after=_state(refund)
    )
    _publish_decision(refund, order)
    return refund


def _publish_decision(refund: Refund, order: Order) -> None:
    """`refund.decided` {refund, order, buyer, status: approved/rejected, amount: goods +
    shipping to be sent back}, for the buyer's notification."""
    publish(
        "refund.decided",
        {
            "refund": refund.pk,
            "order": order.pk,
            "buyer": order.buyer_id,
            "status": refund.status,
            "amount": refund.amount + refund.shipping_amount,
        },
    )


def refund_settled(payment_refund: PaymentRefund) -> None:
    """payments' settle callback: the provider sent the money of an approved refund back.
    Runs in the settling transaction, payment and PaymentRefund locked; refunds made by the
    payments code itself (late payments of cancelled orders) are not ours and pass."""
    refund_id = (
        Refund.objects.filter(payment_refund=payment_refund).values_list("pk", flat=True).first()
    )
    if refund_id is None:
        return
    refund = Refund.objects.get(pk=refund_id)
    order = Order.objects.select_for_update().get(pk=refund.order_id)
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.status == RefundStatus.APPROVED:
        _settle(refund, order)


def _settle(refund: Refund, order: Order) -> None:
    """Precondition: order and refund locked. Apply the refund to lines, stock and status."""
    refund_lines = list(refund.lines.select_related("order_line").order_by("order_line_id"))
    for refund_line in refund_lines:
        line = refund_line.order_line
        OrderLine.objects.filter(pk=line.pk).update(
            refunded_quantity=line.refunded_quantity + refund_line.quantity,
            refunded_amount=line.refunded_amount + refund_line.amount,
        )
    if not _shipped(order):
        # Still reserved for this order; a shipped order's stock already left the shelf.
        stock_release(
            items=[(rl.order_line.sku_id, rl.quantity) for rl in refund_lines],
        )
    refund.status = RefundStatus.REFUNDED
    refund.refunded_at = timezone.now()
    refund.save(update_fields=["status", "refunded_at"])
    left = (
        OrderLine.objects.filter(order=order).aggregate(
            left=Sum("quantity") - Sum("refunded_quantity")
        )["left"]
        or 0
    )
    to_status = OrderStatus.REFUNDED if left == 0 else OrderStatus.PARTIALLY_REFUNDED
    check_move(order.status, to_status)
    OrderEvent.objects.create(
        order=order,
        from_status=order.status,
        to_status=to_status,
        actor=refund.decided_by,
        note=f"Refund {refund.pk}: {refund.reason}"[:300],
    )
    order.status = to_status
    order.save(update_fields=["status"])
    publish(
        "order.refunded",
        {
            "order": order.pk,
            "refund": refund.pk,
            "lines": [
                {"line": rl.order_line_id, "quantity": rl.quantity, "amount": rl.amount}
                for rl in refund_lines
            ],
            "shipping_refunded": refund.shipping_amount,
        },
    )


def _lock_for_decision(refund: Refund) -> tuple[Refund, Order]:
    order = Order.objects.only("payment_id").get(pk=refund.order_id)
    Payment.objects.select_for_update().filter(pk=order.payment_id).first()
    order = Order.objects.select_for_update().get(pk=refund.order_id)
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if refund.status != RefundStatus.REQUESTED:
        raise RefundAlreadyDecided(
            f"This request is already {RefundStatus(refund.status).label.lower()}.",
            fields={"status": refund.status},
        )
    return refund, order


def _taken(order: Order, statuses=TAKEN) -> dict[int, tuple[int, int]]:
    """Per line id: (units, amount) of the order's refunds in `statuses` (by default settled or
    held by open requests)."""
    rows = (
        RefundLine.objects.filter(refund__order=order, refund__status__in=statuses)
        .values("order_line_id")
        .annotate(units=Sum("quantity"), amount=Sum("amount"))
    )
    return {row["order_line_id"]: (row["units"], row["amount"]) for row in rows}


def _covers_all(lines: Iterable[OrderLine], taken: dict[int, tuple[int, int]]) -> bool:
    return all(taken.get(line.pk, (0, 0))[0] == line.quantity for line in lines)


def _shipped(order: Order) -> bool:
    return Shipment.objects.filter(order=order).exists()


def _state(refund: Refund) -> dict:
    return {
        "status": refund.status,
        "amount": refund.amount,
        "shipping_amount": refund.shipping_amount,
    }
