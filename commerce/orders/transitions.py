"""The order's state machine: which status may follow which. One table, read by every move.

API.md: pending_payment → paid → shipped → delivered → completed, or cancelled while unpaid.
A refund moves a paid order to partially_refunded (some goods refunded) or refunded (all of them).
A partially refunded order "goes on being shipped, delivered and completed like any order", so it
may move on to shipped, delivered or completed, and take further refunds (partially_refunded
again, or refunded when the last units go). The status alone does not say how far a partially
refunded order got, so the services check the facts too: ship refuses an order that already has
a shipment, delivery needs a shipment and no delivery yet, and complete_orders needs delivered_at.

Final: completed (the return window is over, no more refunds), refunded (nothing left to ship or
keep) and cancelled (never paid). A paid order is never cancelled: its money goes back by refund.
"""

from backend.errors import InvalidTransition
from commerce.models import OrderStatus

S = OrderStatus

ALLOWED: dict[str, frozenset[str]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.SHIPPED, S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.DELIVERED: frozenset({S.COMPLETED, S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset(
        {S.SHIPPED, S.DELIVERED, S.COMPLETED, S.PARTIALLY_REFUNDED, S.REFUNDED}
    ),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED.get(from_status, frozenset())


def check_move(from_status: str, to_status: str) -> None:
    """Raise InvalidTransition (409 "invalid_transition") unless the table allows the move."""
    if not can_move(from_status, to_status):
        raise InvalidTransition(
            f"An order that is {S(from_status).label.lower()} cannot become "
            f"{S(to_status).label.lower()}.",
            fields={"status": from_status},
        )
