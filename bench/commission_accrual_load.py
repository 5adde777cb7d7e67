"""Commission accrual against one raw INSERT … SELECT, run by bench_commission_accrual in a
subprocess on its own PostgreSQL database.

`python -m bench.commission_accrual_load SIZE` (with DATABASE_URL naming a migrated bench
database) prints one JSON object: the seconds of ours and of the raw INSERT … SELECT.

SIZE credited lines are made first (orders of ten lines each, one final credited decision per
line, spread over 100 sharers' links; bulk inserts, not timed). Then the raw INSERT … SELECT
writes the commissions, which are deleted again, and ours accrues the same decisions. The raw
statement runs first because ours writes ledger entries, which are append-only: they could not
be deleted to run it again.
"""

from __future__ import annotations

import json
import sys
import time
import uuid

SHARERS = 100
LINES_PER_ORDER = 10
BATCH = 2000
RATE_BP = 1000
PRICE = 2990

RAW_ACCRUE = """
INSERT INTO rewards_commission (line_id, order_id, product_id, merchant_id, sharer_id,
    decision_id, link_id, click_id, base, rate_bp, rule_source, rule_id, campaign_id,
    rate_locked, accrued_amount, amount, status, currency, created_at)
SELECT d.line_id, d.order_id, d.product_id, l.merchant_id, d.sharer_id, d.id, d.link_id,
    d.click_id, d.net_amount, %(rate)s, 'product', NULL, NULL, false,
    d.net_amount * %(rate)s / 10000, d.net_amount * %(rate)s / 10000, 'pending', 'CNY', %(now)s
FROM shoplinks_decision d JOIN commerce_orderline l ON l.id = d.line_id
WHERE d.final AND d.reason = 'credited'
"""


def _fill(size: int) -> list[int]:
    """The credited decisions (ids) of `size` paid lines, and the product's rule."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from commerce.models import SKU, Category, Merchant, Order, OrderLine, Payment, Product
    from rewards.models import CommissionRule
    from shoplinks.models import Click, Decision, ShareLink

    users = get_user_model()
    now = timezone.now()
    buyer = users.objects.create_user(username="bench-buyer", password=None)
    owner = users.objects.create_user(username="bench-owner", password=None)
    shop = Merchant.objects.create(name="Bench shop", slug="bench-shop", owner=owner)
    category = Category.objects.create(name="Bench", slug="bench")
    product = Product.objects.create(merchant=shop, category=category, name="Bench tea")
    sku = SKU.objects.create(product=product, name="Box", price=PRICE, on_hand=0)
    CommissionRule.objects.create(scope="product", product=product, rate_bp=RATE_BP, valid_from=now)
    payment = Payment.objects.create(
        buyer=buyer,
        provider="sandbox",
        amount=1,
        currency="CNY",
        status="succeeded",
        expires_at=now,
    )
    sharers = users.objects.bulk_create(
        users(username=f"bench-sharer-{i}", password="!") for i in range(SHARERS)
    )
    links = ShareLink.objects.bulk_create(
        ShareLink(code=f"bench{i}", sharer=s, product=product) for i, s in enumerate(sharers)
    )
    clicks = Click.objects.bulk_create(
        Click(
            uid=uuid.uuid4(),
            link=link,
            product=product,
            sharer_id=link.sharer_id,
            user=buyer,
            clicked_at=now,
            agent_class="mobile",
            counted=True,
        )
        for link in links
    )
    orders = Order.objects.bulk_create(
        (
            Order(
                buyer=buyer,
                merchant=shop,
                payment=payment,
                status="paid",
                currency="CNY",
                subtotal=PRICE * LINES_PER_ORDER,
                total=PRICE * LINES_PER_ORDER,
                address={},
                paid_at=now,
            )
            for _ in range(size // LINES_PER_ORDER)
        ),
        batch_size=5000,
    )
    lines = OrderLine.objects.bulk_create(
        (
            OrderLine(
                order=order,
                product=product,
                sku=sku,
                category=category,
                merchant=shop,
                product_name=product.name,
                sku_name=sku.name,
                category_name=category.name,
                merchant_name=shop.name,
                unit_price=PRICE,
                quantity=1,
                net_amount=PRICE,
            )
            for order in orders
            for _ in range(LINES_PER_ORDER)
        ),
        batch_size=5000,
    )
    decisions = Decision.objects.bulk_create(
        (
            Decision(
                line=line,
                order_id=line.order_id,
                product=product,
                buyer=buyer,
                link=links[i % SHARERS],
                click=clicks[i % SHARERS],
                sharer_id=links[i % SHARERS].sharer_id,
                reason="credited",
                final=True,
                net_amount=PRICE,
                placed_at=now,
            )
            for i, line in enumerate(lines)
        ),
        batch_size=5000,
    )
    return [decision.pk for decision in decisions]


def _analyze(*tables: str) -> None:
    """Fresh planner statistics after bulk writes (PostgreSQL; outside a transaction)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def _raw() -> tuple[float, int]:
    """The raw INSERT … SELECT, timed; its rows are deleted again afterwards."""
    from django.db import connection, transaction
    from django.utils import timezone

    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RAW_ACCRUE, {"rate": RATE_BP, "now": timezone.now()})
        accrued = cursor.rowcount
    seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM rewards_commission")
    return seconds, accrued


def _ours(decision_ids: list[int]) -> tuple[float, int]:
    from rewards.commissions import commissions_accrue

    accrued = 0
    began = time.perf_counter()
    for start in range(0, len(decision_ids), BATCH):
        accrued += len(commissions_accrue(decision_ids=decision_ids[start : start + BATCH]))
    return time.perf_counter() - began, accrued


def _broker_keeps_nothing() -> None:
    """Queued messages are built and sent, never held (nobody consumes them here)."""
    from kombu.transport import memory

    memory.Channel._put = lambda self, queue, message, **kwargs: None


def main(size: int) -> dict:
    import django

    django.setup()
    _broker_keeps_nothing()
    decision_ids = _fill(size)
    _analyze("commerce_order", "commerce_orderline", "shoplinks_decision")
    raw_seconds, raw_accrued = _raw()
    _analyze("rewards_commission")
    ours_seconds, ours_accrued = _ours(decision_ids)
    if raw_accrued != size or ours_accrued != size:
        raise RuntimeError(f"accrued {ours_accrued} (ours), {raw_accrued} (raw) of {size}")
    return {"size": size, "ours": ours_seconds, "raw": raw_seconds}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
