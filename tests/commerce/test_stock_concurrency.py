"""Concurrent checkouts on PostgreSQL with real threads: never oversold, never deadlocked."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from commerce.checkout.services import checkout_place
from commerce.errors import InsufficientStock
from commerce.models import SKU, Order
from tests.commerce.buying import ADDRESS, fill_cart
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory, SKUFactory

pytestmark = [pytest.mark.services("postgres"), pytest.mark.django_db(transaction=True)]

# Below PostgreSQL's default max_connections, with room for the test's own connection.
WORKERS = 40


def checkout_all(buyers) -> dict[str, int]:
    """Every buyer checks out at once (a barrier per worker wave); counts the outcomes."""
    outcomes = {"placed": 0, "sold_out": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(min(WORKERS, len(buyers)))

    def one(buyer):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            try:
                checkout_place(buyer=buyer, address=ADDRESS)
                outcome = "placed"
            except InsufficientStock:
                outcome = "sold_out"
            with lock:
                outcomes[outcome] += 1
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(one, buyers))
    return outcomes


def assert_stock_consistent():
    for sku in SKU.objects.all():
        assert 0 <= sku.reserved <= sku.on_hand, sku


def buyers_of(sku, count, quantity=1):
    buyers = [UserFactory() for _ in range(count)]
    for buyer in buyers:
        fill_cart(buyer, (sku, quantity))
    return buyers


def test_last_unit_sells_once():
    """Stock 1 and 50 concurrent checkouts: exactly one order."""
    sku = SKUFactory(on_hand=1)
    buyers = buyers_of(sku, 50)

    outcomes = checkout_all(buyers)

    assert outcomes == {"placed": 1, "sold_out": 49}
    assert Order.objects.count() == 1
    assert SKU.objects.get(pk=sku.pk).reserved == 1
    assert_stock_consistent()


def test_hot_sku_reserves_exactly_its_stock():
    """Stock 100 and 300 concurrent buyers: exactly 100 units reserved, 100 orders."""
    sku = SKUFactory(on_hand=100)
    buyers = buyers_of(sku, 300)

    outcomes = checkout_all(buyers)

    assert outcomes == {"placed": 100, "sold_out": 200}
    assert SKU.objects.get(pk=sku.pk).reserved == 100
    assert Order.objects.count() == 100
    assert_stock_consistent()


def test_opposite_orders_do_not_deadlock():
    """Buyers of SKUs A and B, half adding them in the opposite order: all succeed."""
    shop = MerchantFactory()
    first, second = (
        SKUFactory(product__merchant=shop, on_hand=500),
        SKUFactory(product__merchant=shop, on_hand=500),
    )
    buyers = [UserFactory() for _ in range(80)]
    for index, buyer in enumerate(buyers):
        pair = [(first, 2), (second, 3)]
        fill_cart(buyer, *(pair if index % 2 else reversed(pair)))

    outcomes = checkout_all(buyers)

    assert outcomes == {"placed": 80, "sold_out": 0}
    assert SKU.objects.get(pk=first.pk).reserved == 160
    assert SKU.objects.get(pk=second.pk).reserved == 240
    assert_stock_consistent()


def test_mixed_carts_under_scarcity_stay_consistent():
    """Two scarce SKUs bought together and apart: all-or-nothing, never oversold."""
    shop = MerchantFactory()
    a, b = (
        SKUFactory(product__merchant=shop, on_hand=7),
        SKUFactory(product__merchant=shop, on_hand=5),
    )
    buyers = [UserFactory() for _ in range(60)]
    for index, buyer in enumerate(buyers):
        items = [[(a, 1)], [(b, 1)], [(b, 1), (a, 1)]][index % 3]
        fill_cart(buyer, *items)

    checkout_all(buyers)

    assert_stock_consistent()
    for sku in (a, b):
        ordered = sum(
            line.quantity for order in Order.objects.all() for line in order.lines.filter(sku=sku)
        )
        assert SKU.objects.get(pk=sku.pk).reserved == ordered
