"""Stock reservation: the one place that moves `SKU.reserved`, always by guarded UPDATEs.

Each SKU is one `UPDATE … SET reserved = reserved + q WHERE id = ? AND on_hand - reserved >= q`:
the database checks and writes in one step under the row lock, so concurrent buyers can never
oversell. SKUs are taken in id order so two checkouts holding SKUs A and B never wait on each
other in opposite orders (no deadlock). Call inside the transaction that records why.
"""

from collections import Counter
from collections.abc import Iterable

from django.db.models import F

from commerce.errors import InsufficientStock
from commerce.models import SKU


def _in_id_order(items: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    totals: Counter[int] = Counter()
    for sku_id, quantity in items:
        if quantity <= 0:
            raise ValueError(f"stock quantities are positive, got {quantity} for SKU {sku_id}")
        totals[sku_id] += quantity
    return sorted(totals.items())


def stock_reserve(*, items: Iterable[tuple[int, int]]) -> None:
    """Reserve `quantity` units of each `(sku_id, quantity)`, all or none (with the transaction).

    Raises InsufficientStock naming the first SKU that cannot cover its quantity; the caller's
    transaction rolls back the reservations already made.
    """
    for sku_id, quantity in _in_id_order(items):
        reserved = SKU.objects.filter(pk=sku_id, on_hand__gte=F("reserved") + quantity).update(
            reserved=F("reserved") + quantity
        )
        if not reserved:
            raise InsufficientStock(
                f"Not enough stock left for item {sku_id}.", fields={"sku_id": sku_id}
            )


def stock_release(*, items: Iterable[tuple[int, int]]) -> None:
    """Give back reserved units (a cancelled or expired order). Never below zero: releasing more
    than is reserved means the books are wrong, so it raises rather than hide it."""
    for sku_id, quantity in _in_id_order(items):
        released = SKU.objects.filter(pk=sku_id, reserved__gte=quantity).update(
            reserved=F("reserved") - quantity
        )
        if not released:
            raise RuntimeError(f"SKU {sku_id} has fewer than {quantity} units reserved")
