"""Order reads for their buyer. Another user's order is simply not found (404)."""

from django.db.models import Prefetch, QuerySet

from backend.accounts.models import User
from backend.errors import NotFound
from commerce.models import Order, OrderEvent, OrderLine


def orders_of_buyer(buyer: User) -> QuerySet[Order]:
    """The buyer's orders, newest first, with shop, payment and lines in a fixed number of
    queries whatever the page length (one for the page, one for all its lines)."""
    return (
        Order.objects.filter(buyer=buyer)
        .select_related("merchant", "payment")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def order_of_buyer(buyer: User, order_id: int) -> Order:
    order = (
        orders_of_buyer(buyer)
        .prefetch_related(
            Prefetch("events", queryset=OrderEvent.objects.order_by("created_at", "pk"))
        )
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise NotFound("This order does not exist.")
    return order
