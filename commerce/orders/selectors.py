"""Order reads for their buyer and for their shop. Another user's (or another shop's) order is
simply not found (404)."""

from django.db.models import Prefetch, QuerySet

from backend.accounts.models import User
from backend.errors import NotFound
from commerce.models import Merchant, Order, OrderEvent, OrderLine, OrderStatus


def orders_of_buyer(buyer: User) -> QuerySet[Order]:
    """The buyer's orders, newest first, with shop, payment and lines in a fixed number of
    queries whatever the page length (one for the page, one for all its lines)."""
    return (
        Order.objects.filter(buyer=buyer)
        .select_related("merchant", "payment", "shipment")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def _one_with_timeline(orders: QuerySet[Order], order_id: int) -> Order:
    """The order `order_id` among `orders`, with its timeline; NotFound when it is not theirs."""
    order = (
        orders.prefetch_related(
            Prefetch("events", queryset=OrderEvent.objects.order_by("created_at", "pk"))
        )
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise NotFound("This order does not exist.")
    return order


def order_of_buyer(buyer: User, order_id: int) -> Order:
    return _one_with_timeline(orders_of_buyer(buyer), order_id)


def orders_of_shop(merchant: Merchant, *, status: str | None = None) -> QuerySet[Order]:
    """The shop's paid-or-later orders (an unpaid order is no business of the shop yet), newest
    first, optionally of one status; buyer, shipment and lines in a fixed number of queries."""
    orders = (
        Order.objects.filter(merchant=merchant)
        .exclude(status=OrderStatus.PENDING_PAYMENT)
        .select_related("merchant", "payment", "shipment", "buyer")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .order_by("-created_at", "-pk")
    )
    return orders.filter(status=status) if status else orders


def orders_to_ship(merchant: Merchant) -> QuerySet[Order]:
    """Paid orders (or partially refunded ones) with no shipment yet, oldest first: the queue."""
    return (
        orders_of_shop(merchant)
        .filter(
            status__in=[OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED], shipment__isnull=True
        )
        .order_by("paid_at", "pk")
    )


def order_of_shop(merchant: Merchant, order_id: int) -> Order:
    return _one_with_timeline(orders_of_shop(merchant), order_id)


# Orders that were paid and not undone: the buyer bought what is in them.
BOUGHT_STATUSES = (
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
    OrderStatus.PARTIALLY_REFUNDED,
)


def buyers_of_product(product_id: int) -> QuerySet[OrderLine]:
    """The ids of the users with a paid (not cancelled, not wholly refunded) order containing
    the product, as a `values("buyer")` subquery to filter users by in one statement."""
    return (
        OrderLine.objects.filter(product_id=product_id, order__status__in=BOUGHT_STATUSES)
        .order_by()
        .values("order__buyer")
    )
