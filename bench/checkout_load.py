"""The hot-SKU checkout load, run by bench_checkout in a subprocess on its own PostgreSQL database.

`python -m bench.checkout_load BUYERS STOCK WORKERS ROUNDS` (with DATABASE_URL naming a migrated
bench database) prints one JSON object: per contender the units sold, seconds and latencies of
every round, the oversold units, and the queries of a 3-line checkout.

Each round gives `BUYERS` buyers one cart line of quantity 1 for a SKU with `STOCK` on hand, and
`WORKERS` threads, each with its own connection opened before the start, serve them all at once:
- ours: `commerce.checkout.services.checkout_place` for the buyer (the real service: the cart
  lines, the guarded reservation, orders, lines, payment, order events, the cart emptied);
- raw: the same guarded `UPDATE … SET reserved = reserved + 1 WHERE id = %s AND on_hand -
  reserved >= 1` on a plain psycopg connection in autocommit, nothing else.
Rounds alternate between the two so that any drift of the machine falls on both alike.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import sys
import threading
import time
from collections.abc import Callable

ADDRESS = {
    "name": "Bench Buyer",
    "phone": "13800138000",
    "line1": "1 Bench Road",
    "city": "Shanghai",
    "postal_code": "200000",
}
GUARDED_RESERVE = (
    "UPDATE {table} SET reserved = reserved + %s WHERE id = %s AND on_hand - reserved >= %s"
)


Serve = Callable[[object], bool]
# Runs in a worker thread before the start: opens that thread's connection and returns the call
# that serves one buyer (True when it sold) and the call that closes the connection.
OpenWorker = Callable[[], tuple[Serve, Callable[[], None]]]


def _serve(buyers: list, workers: int, open_worker: OpenWorker) -> dict:
    """Serve every buyer from `workers` threads released together; the clock starts at release."""
    pending: queue.SimpleQueue = queue.SimpleQueue()
    for buyer in buyers:
        pending.put(buyer)
    start = threading.Barrier(workers + 1)
    latencies: list[float] = []
    sold: list[int] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            serve_one, close = open_worker()
        except BaseException as exc:
            failures.append(exc)
            start.abort()
            return
        mine, units = [], 0
        try:
            start.wait()
            while True:
                try:
                    buyer = pending.get_nowait()
                except queue.Empty:
                    break
                began = time.perf_counter()
                units += serve_one(buyer)
                mine.append(time.perf_counter() - began)
        except BaseException as exc:
            failures.append(exc)
        finally:
            close()
        # list.extend and append are atomic under the GIL: no lock needed to gather.
        latencies.extend(mine)
        sold.append(units)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    # A worker that could not connect breaks the barrier; the failure is raised below.
    with contextlib.suppress(threading.BrokenBarrierError):
        start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    if failures:
        raise RuntimeError(f"{len(failures)} worker(s) failed, first: {failures[0]!r}")
    return {"sold": sum(sold), "seconds": seconds, "latencies": latencies}


def _ours_worker() -> tuple[Serve, Callable[[], None]]:
    from django.db import connection

    from commerce.checkout.services import checkout_place
    from commerce.errors import InsufficientStock

    connection.ensure_connection()

    def serve_one(buyer) -> bool:
        try:
            checkout_place(buyer=buyer, address=ADDRESS)
        except InsufficientStock:
            return False
        return True

    return serve_one, connection.close


def _raw_worker(sku_id: int) -> OpenWorker:
    import psycopg
    from django.db import connection

    from commerce.models import SKU

    statement = GUARDED_RESERVE.format(table=SKU._meta.db_table)
    params = connection.get_connection_params()

    def open_worker() -> tuple[Serve, Callable[[], None]]:
        raw = psycopg.connect(**params, autocommit=True)

        def serve_one(buyer) -> bool:
            return raw.execute(statement, (1, sku_id, 1)).rowcount == 1

        return serve_one, raw.close

    return open_worker


def _shop():
    """A shop with a hot SKU and three more products for the 3-line cart."""
    from django.contrib.auth import get_user_model

    from commerce.catalog import services as catalog
    from commerce.models import Category

    owner = get_user_model().objects.create(username="bench_shop_owner")
    shop = catalog.merchant_create(owner=owner, name="Bench Fruit")
    category = Category.objects.order_by("pk").first()
    products = [
        catalog.product_create(
            merchant=shop,
            actor=owner,
            name=name,
            description="",
            category=category,
            skus=[catalog.SkuInput(name="1 kg", price=1000 + 100 * number, stock=10_000)],
        )
        for number, name in enumerate(("Hot mangoes", "Lychees", "Peaches", "Cherries"))
    ]
    return [product.skus.get() for product in products]


def _buyers(names: list[str]) -> list:
    """Users with an empty cart each; unusable passwords (nobody signs in, and an Argon2 hash
    per buyer would dominate the setup)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from commerce.models import Cart

    user_model = get_user_model()
    password = make_password(None)
    buyers = user_model.objects.bulk_create(
        user_model(username=name, password=password) for name in names
    )
    Cart.objects.bulk_create(Cart(user=buyer) for buyer in buyers)
    return buyers


def _fill_carts(buyers: list, sku_id: int, stock: int) -> None:
    """A fresh round: the SKU back to `stock` with nothing reserved, one unit in every cart."""
    from commerce.models import SKU, Cart, CartLine

    SKU.objects.filter(pk=sku_id).update(on_hand=stock, reserved=0)
    carts = Cart.objects.filter(user__in=buyers)
    CartLine.objects.filter(cart__in=carts).delete()
    CartLine.objects.bulk_create(CartLine(cart=cart, sku_id=sku_id, quantity=1) for cart in carts)


def _oversold(sku_id: int, stock: int, sold: int) -> int:
    """Units sold beyond the stock; also checks the books: what was sold is what is reserved."""
    from commerce.models import SKU

    reserved = SKU.objects.get(pk=sku_id).reserved
    if reserved != sold:
        raise RuntimeError(f"{sold} units sold but {reserved} reserved: the books disagree")
    return max(0, sold - stock)


def _three_line_queries(skus: list) -> list[str]:
    """The SQL of one checkout of a 3-line cart, after a warm-up checkout of the same shape."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commerce.cart.services import cart_add, cart_get_or_create
    from commerce.checkout.services import checkout_place

    captured = []
    for buyer in _buyers(["bench_warmup", "bench_three_lines"]):
        cart = cart_get_or_create(user=buyer)
        for sku in skus:
            cart_add(cart=cart, sku_id=sku.pk, quantity=1)
        with CaptureQueriesContext(connection) as context:
            checkout_place(buyer=buyer, address=ADDRESS)
        captured = [query["sql"] for query in context.captured_queries]
    return captured


def main(argv: list[str]) -> None:
    buyer_count, stock, workers, rounds = map(int, argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    hot, *others = _shop()
    buyers = _buyers([f"bench_buyer{number}" for number in range(buyer_count)])
    results = {
        name: {"sold": 0, "oversold": 0, "seconds": [], "latencies": []} for name in ("ours", "raw")
    }
    contenders = {"ours": _ours_worker, "raw": _raw_worker(hot.pk)}
    for _ in range(rounds):
        for name, open_worker in contenders.items():
            _fill_carts(buyers, hot.pk, stock)
            served = _serve(buyers, workers, open_worker)
            result = results[name]
            result["sold"] += served["sold"]
            result["oversold"] += _oversold(hot.pk, stock, served["sold"])
            result["seconds"].append(served["seconds"])
            result["latencies"] += served["latencies"]
    results["three_line_queries"] = _three_line_queries(others[:3])
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
