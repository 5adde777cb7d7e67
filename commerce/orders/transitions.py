"""The order's state machine: which status may follow which. One table, read by every move."""

from backend.errors import InvalidTransition
from commerce.models import OrderStatus

S = OrderStatus

ALLOWED: dict[str, frozenset[str]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset(),
    S.SHIPPED: frozenset(),
    S.DELIVERED: frozenset(),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.PARTIALLY_REFUNDED: frozenset(),
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
