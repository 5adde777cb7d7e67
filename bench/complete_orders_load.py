"""complete_orders against one raw UPDATE, run by bench_complete_orders in a subprocess on its own
PostgreSQL database.

`python -m bench.complete_orders_load SIZE [SIZE ...]` (with DATABASE_URL naming a migrated bench
database) prints one JSON object: per size, the seconds of ours and of the raw UPDATE, and the
peak Python memory (tracemalloc) of ours.

For each size, the orders table is filled with SIZE delivered orders whose return window is over
(one INSERT … SELECT from generate_series: setup must not dominate), then:
- traced: `orders_complete` under tracemalloc, for its peak memory only (tracing slows Python);
- ours: `orders_complete` timed, the real service: row locks, the table check, one OrderEvent and
  one published `order.completed` event (outbox row + broker message) per order;
- raw: one `UPDATE … SET status = 'completed' … WHERE` of the same rows with the same conditions,
  nothing else.
Between runs the orders go back to delivered and what ours wrote (events) is deleted.
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from datetime import timedelta

RAW_COMPLETE = """
UPDATE commerce_order AS o SET status = 'completed', completed_at = %(now)s
WHERE o.status IN ('delivered', 'partially_refunded')
  AND o.delivered_at IS NOT NULL AND o.delivered_at <= %(cutoff)s
  AND NOT EXISTS (
    SELECT 1 FROM commerce_refund r
    WHERE r.order_id = o.id AND r.status IN ('requested', 'approved')
  )
"""


def _fixtures() -> tuple[int, int, int]:
    """A buyer, a shop and a payment the generated orders all point at."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from commerce.models import Merchant, Payment

    buyer = get_user_model().objects.create_user(username="bench-buyer", password=None)
    owner = get_user_model().objects.create_user(username="bench-owner", password=None)
    shop = Merchant.objects.create(name="Bench shop", slug="bench-shop", owner=owner)
    payment = Payment.objects.create(
        buyer=buyer,
        provider="sandbox",
        amount=1000,
        currency="CNY",
        status="succeeded",
        expires_at=timezone.now(),
    )
    return buyer.pk, shop.pk, payment.pk


def _fill(size: int, *, buyer: int, shop: int, payment: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM commerce_orderevent")
        cursor.execute("DELETE FROM events_handlerrun")
        cursor.execute("DELETE FROM events_event")
        cursor.execute("DELETE FROM commerce_order")
        cursor.execute(
            """
            INSERT INTO commerce_order (buyer_id, merchant_id, payment_id, status, currency,
                subtotal, discount, shipping, total, address, created_at, paid_at, delivered_at)
            SELECT %s, %s, %s, 'delivered', 'CNY', 1000, 0, 0, 1000, '{}'::jsonb,
                now() - interval '30 days', now() - interval '30 days',
                now() - interval '20 days'
            FROM generate_series(1, %s)
            """,
            [buyer, shop, payment, size],
        )
        cursor.execute("ANALYZE commerce_order")


def _reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM commerce_orderevent")
        cursor.execute("DELETE FROM events_handlerrun")
        cursor.execute("DELETE FROM events_event")
        cursor.execute("UPDATE commerce_order SET status = 'delivered', completed_at = NULL")
        cursor.execute("VACUUM ANALYZE commerce_order")


def _ours() -> tuple[float, int]:
    from commerce.orders.lifecycle import orders_complete

    began = time.perf_counter()
    completed = orders_complete()
    return time.perf_counter() - began, completed


def _raw() -> tuple[float, int]:
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    cutoff = now - timedelta(days=settings.RETURN_WINDOW_DAYS)
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RAW_COMPLETE, {"now": now, "cutoff": cutoff})
        completed = cursor.rowcount
    return time.perf_counter() - began, completed


def _broker_keeps_nothing() -> None:
    """The in-memory broker of this subprocess would keep every queued message (nobody consumes
    them here), growing with N; in a deployment they sit in Redis, not in the job's memory. So
    messages are dropped at the broker's door: still built and sent, never held."""
    from kombu.transport import memory

    memory.Channel._put = lambda self, queue, message, **kwargs: None


def measure(size: int, fixtures: tuple[int, int, int]) -> dict:
    buyer, shop, payment = fixtures
    _fill(size, buyer=buyer, shop=shop, payment=payment)
    tracemalloc.start()
    _ours()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    _reset()
    ours_seconds, ours_completed = _ours()
    _reset()
    raw_seconds, raw_completed = _raw()
    if ours_completed != size or raw_completed != size:
        raise RuntimeError(f"completed {ours_completed} (ours), {raw_completed} (raw) of {size}")
    return {"size": size, "ours": ours_seconds, "raw": raw_seconds, "peak_bytes": peak}


def main(sizes: list[int]) -> dict:
    import django

    django.setup()
    _broker_keeps_nothing()
    fixtures = _fixtures()
    return {"sizes": [measure(size, fixtures) for size in sizes]}


if __name__ == "__main__":
    print(json.dumps(main([int(arg) for arg in sys.argv[1:]])))
