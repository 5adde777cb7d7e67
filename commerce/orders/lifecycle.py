"""An order's life after payment: shipped by the shop, delivered (confirmed by the buyer or after
AUTO_DELIVERY_DAYS), completed once the return window is over.

Each move locks the order row, checks the transition table, records an OrderEvent and publishes
what happened, in one transaction: a rollback takes the event with it.
"""

from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from backend.accounts.models import User
from backend.errors import InvalidInput, InvalidTransition, NotFound
from backend.events.services import publish, publish_many
from commerce.models import (
    SKU,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Refund,
    RefundStatus,
    Shipment,
)
from commerce.orders.services import _move
from commerce.orders.transitions import check_move

# Refunds still waiting for the shop or the provider: the order is not settled while one is open.
OPEN_REFUND_STATUSES = (RefundStatus.REQUESTED, RefundStatus.APPROVED)
# Orders completed per transaction by complete_orders: big enough to amortise the round trips,
# small enough to hold few row locks and little memory.
COMPLETE_BATCH_SIZE = 1000


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _deduct_shipped_stock(order: Order) -> None:
    """The units still owed leave the warehouse: on_hand and reserved both drop by them.

    One guarded UPDATE per SKU in id order (as stock_reserve), so two shipments never deadlock
    and the books can never go negative; a guard that fails means the books are wrong, so it
    raises (and the shipment rolls back) rather than hide it.
    """
    owed: Counter[int] = Counter()
    for sku_id, quantity, refunded in OrderLine.objects.filter(order=order).values_list(
        "sku_id", "quantity", "refunded_quantity"
    ):
        if quantity > refunded:
            owed[sku_id] += quantity - refunded
    for sku_id, units in sorted(owed.items()):
        updated = SKU.objects.filter(pk=sku_id, reserved__gte=units, on_hand__gte=units).update(
            on_hand=F("on_hand") - units, reserved=F("reserved") - units
        )
        if not updated:
            raise RuntimeError(f"SKU {sku_id} has fewer than {units} units reserved or on hand")


@transaction.atomic
def order_ship(*, order: Order, actor: User | None, carrier: str, tracking_number: str) -> Order:
    """The shop hands the order to a carrier: a Shipment, the stock deducted, `order.shipped`.

    The caller has checked that `actor` works for the order's shop. Raises InvalidTransition
    (409) unless the order is paid (or partially refunded and not shipped yet), InvalidInput
    (400) for a blank carrier or tracking number.
    """
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier or not tracking_number:
        raise InvalidInput(
            "Give the carrier and the tracking number.",
            fields={
                name: "This field may not be blank."
                for name, value in (("carrier", carrier), ("tracking_number", tracking_number))
                if not value
            },
        )
    order = _locked(order)
    if Shipment.objects.filter(order=order).exists():
        raise InvalidTransition("This order has already been shipped.")
    _move(order, OrderStatus.SHIPPED, actor=actor, note=f"{carrier} {tracking_number}")
    order.save(update_fields=["status"])
    Shipment.objects.create(
        order=order, carrier=carrier, tracking_number=tracking_number, shipped_by=actor
    )
    _deduct_shipped_stock(order)
    publish("order.shipped", {"order": order.pk, "buyer": order.buyer_id})
    return order


def _deliver(order: Order, *, actor: User | None, note: str, now: datetime) -> Order:
    """Precondition: `order` is locked in the current transaction."""
    if order.delivered_at is not None:
        raise InvalidTransition("This order has already been delivered.")
    if not Shipment.objects.filter(order=order).exists():
        raise InvalidTransition("This order has not been shipped yet.")
    _move(order, OrderStatus.DELIVERED, actor=actor, note=note)
    order.delivered_at = now
    order.save(update_fields=["status", "delivered_at"])
    publish("order.delivered", {"order": order.pk, "buyer": order.buyer_id})
    return order


@transaction.atomic
def order_confirm_delivery(*, order: Order, actor: User) -> Order:
    """The buyer says the parcel arrived: delivered, and the return window starts now.

    Another user's order does not exist for them (NotFound, 404); an order not shipped, or
    already delivered, raises InvalidTransition (409).
    """
    order = _locked(order)
    if order.buyer_id != actor.pk:
        raise NotFound("This order does not exist.")
    return _deliver(order, actor=actor, note="Confirmed by the buyer.", now=timezone.now())


def orders_auto_deliver(*, now: datetime | None = None) -> int:
    """Orders shipped more than AUTO_DELIVERY_DAYS ago and not confirmed count as delivered;
    returns how many. Each in its own transaction: a buyer confirming meanwhile wins the lock
    and that order is skipped."""
    now = now or timezone.now()
    due = Order.objects.filter(
        status__in=[OrderStatus.SHIPPED, OrderStatus.PARTIALLY_REFUNDED],
        delivered_at__isnull=True,
        shipment__shipped_at__lte=now - timedelta(days=settings.AUTO_DELIVERY_DAYS),
    ).order_by("pk")
    delivered = 0
    for order_id in due.values_list("pk", flat=True).iterator():
        try:
            with transaction.atomic():
                order = Order.objects.select_for_update().get(pk=order_id)
                _deliver(
                    order, actor=None, note="Delivered (no confirmation from the buyer).", now=now
                )
        except InvalidTransition:
            continue
        delivered += 1
    return delivered


def completable_orders(now: datetime):
    """API.md: delivered, or partially refunded and delivered, with no open refund request, whose
    delivery is older than the RETURN_WINDOW_DAYS in force now."""
    return Order.objects.filter(
        status__in=[OrderStatus.DELIVERED, OrderStatus.PARTIALLY_REFUNDED],
        delivered_at__isnull=False,
        delivered_at__lte=now - timedelta(days=settings.RETURN_WINDOW_DAYS),
    ).exclude(Exists(Refund.objects.filter(order=OuterRef("pk"), status__in=OPEN_REFUND_STATUSES)))


def orders_complete(*, now: datetime | None = None, batch_size: int = COMPLETE_BATCH_SIZE) -> int:
    """Complete every order whose return window is over (see completable_orders); returns how
    many. Publishes `order.completed` per order.

    Works in batches walked by id, one transaction each: memory stays flat whatever the number of
    orders, and a batch re-checks its rows under lock, so an order refunded or asked a refund for
    meanwhile is left alone. Rows another transaction holds are skipped and done next run.
    """
    now = now or timezone.now()
    completed = 0
    last_id = 0
    while True:
        with transaction.atomic():
            batch = list(
                completable_orders(now)
                .filter(pk__gt=last_id)
                .order_by("pk")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", "status")[:batch_size]
            )
            if not batch:
                return completed
            last_id = batch[-1][0]
            completed += _complete_batch(batch, now=now)


def _complete_batch(batch: list[tuple[int, str]], *, now: datetime) -> int:
    """Precondition: the rows of `batch` ((id, status) pairs) are locked in this transaction."""
    for _, status in batch:
        check_move(status, OrderStatus.COMPLETED)
    ids = [order_id for order_id, _ in batch]
    Order.objects.filter(pk__in=ids).update(status=OrderStatus.COMPLETED, completed_at=now)
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order_id=order_id,
            from_status=status,
            to_status=OrderStatus.COMPLETED,
            note="Return window over.",
        )
        for order_id, status in batch
    )
    publish_many("order.completed", [{"order": order_id} for order_id in ids])
    return len(ids)
