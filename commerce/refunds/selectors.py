"""Refund reads: the buyer sees the refunds of their order, a shop's staff those of its orders.
Anything else is simply not found (404)."""

from django.db.models import Prefetch, QuerySet, Sum

from backend.accounts.models import User
from backend.errors import InvalidInput, NotFound
from commerce.models import Merchant, Order, Refund, RefundLine, RefundStatus
from commerce.orders.selectors import order_of_buyer

_LINES = Prefetch("lines", queryset=RefundLine.objects.select_related("order_line").order_by("pk"))


def refunds_of_order(buyer: User, order_id: int) -> QuerySet[Refund]:
    """The refunds of the buyer's order, newest first; NotFound for another's order."""
    order = order_of_buyer(buyer, order_id)
    return (
        Refund.objects.filter(order=order).prefetch_related(_LINES).order_by("-created_at", "-pk")
    )


def refunds_of_merchant(shop: Merchant, *, status: str | None = None) -> QuerySet[Refund]:
    """The shop's refunds, newest first, in three queries whatever the page length."""
    refunds = (
        Refund.objects.filter(order__merchant=shop)
        .select_related("order", "buyer")
        .prefetch_related(_LINES)
        .order_by("-created_at", "-pk")
    )
    if status:
        if status not in RefundStatus.values:
            raise InvalidInput("Unknown refund status.", fields={"status": "Unknown."})
        refunds = refunds.filter(status=status)
    return refunds


def refund_of_merchant(shop: Merchant, refund_id: int) -> Refund:
    refund = refunds_of_merchant(shop).filter(pk=refund_id).first()
    if refund is None:
        raise NotFound("No such refund.")
    return refund


def units_left(order: Order) -> dict[int, int]:
    """Per line id of `order`: units the buyer may still ask back (not refunded, not held by an
    open request)."""
    held = dict(
        RefundLine.objects.filter(
            refund__order=order,
            refund__status__in=[
                RefundStatus.REQUESTED,
                RefundStatus.APPROVED,
                RefundStatus.REFUNDED,
            ],
        )
        .values("order_line_id")
        .annotate(units=Sum("quantity"))
        .values_list("order_line_id", "units")
    )
    return {line.pk: line.quantity - held.get(line.pk, 0) for line in order.lines.all()}
