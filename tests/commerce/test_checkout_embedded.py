"""Checkout on the embedded default through the real ASGI server: queued, never oversold, no 500."""

import asyncio
import sqlite3
from collections import Counter

import httpx
import pytest

from bench.server import embedded_server
from tests.commerce.buying import ADDRESS

BUYERS = 12
STOCK = 5

SEED_SKU = """
from tests.factories_commerce import SKUFactory
print(SKUFactory(on_hand={stock}, price=990).pk)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with embedded_server(tmp_path_factory.mktemp("embedded_checkout")) as running:
        yield running


async def test_stock_5_and_12_buyers_make_exactly_5_checkouts(server):
    sku_id = int(server.run("manage.py", "shell", "-c", SEED_SKU.format(stock=STOCK)).split()[-1])
    tokens = server.seed_users(prefix="buyer", count=BUYERS)
    limits = httpx.Limits(max_connections=BUYERS)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=120, limits=limits) as client:
        for token in tokens.values():
            added = await client.post(
                "/api/v1/cart/items",
                json={"sku_id": sku_id, "quantity": 1},
                headers={"Authorization": f"Token {token}"},
            )
            assert added.status_code == 201, added.text
        responses = await asyncio.gather(
            *(
                client.post(
                    "/api/v1/checkout",
                    json={"address": ADDRESS},
                    headers={"Authorization": f"Token {token}"},
                )
                for token in tokens.values()
            )
        )

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: STOCK, 409: BUYERS - STOCK}, (statuses, server.log_tail())
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {
        "insufficient_stock"
    }
    with sqlite3.connect(server.db_path) as db:
        [(on_hand, reserved)] = db.execute(
            "SELECT on_hand, reserved FROM commerce_sku WHERE id = ?", (sku_id,)
        ).fetchall()
        [(orders,)] = db.execute("SELECT count(*) FROM commerce_order").fetchall()
    assert (on_hand, reserved, orders) == (STOCK, STOCK, STOCK)
