"""Stock edits racing checkouts' reservations on PostgreSQL, with real threads."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from commerce.catalog.services import sku_update
from commerce.checkout.stock import stock_reserve
from commerce.errors import InsufficientStock, StockBelowReserved
from commerce.models import SKU
from tests.factories_commerce import SKUFactory

pytestmark = [pytest.mark.services("postgres"), pytest.mark.django_db(transaction=True)]


def test_stock_edits_never_undercut_reservations():
    """Merchants lowering stock while buyers reserve: on_hand never goes below reserved, and
    every refused edit is one that would have."""
    sku = SKUFactory(on_hand=30)
    barrier = threading.Barrier(20)
    outcomes = {"reserved": 0, "sold_out": 0, "edited": 0, "refused": 0}
    lock = threading.Lock()

    def buyer(_):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            try:
                stock_reserve(items=[(sku.pk, 2)])
                outcome = "reserved"
            except InsufficientStock:
                outcome = "sold_out"
            with lock:
                outcomes[outcome] += 1
        finally:
            connection.close()

    def merchant(target):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            try:
                sku_update(sku=sku, actor=None, stock=target)
                outcome = "edited"
            except StockBelowReserved:
                outcome = "refused"
            with lock:
                outcomes[outcome] += 1
        finally:
            connection.close()

    jobs = [(buyer, n) for n in range(14)] + [(merchant, t) for t in (20, 12, 8, 4, 16, 10)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(lambda job: job[0](job[1]), jobs))

    sku = SKU.objects.get(pk=sku.pk)
    assert 0 <= sku.reserved <= sku.on_hand
    assert sku.reserved == 2 * outcomes["reserved"]
    assert outcomes["edited"] + outcomes["refused"] == 6
    assert outcomes["reserved"] + outcomes["sold_out"] == 14
