"""API.md "Rewards" reads: GET earnings, earnings/commissions, earnings/daily, earnings/links;
the signed-in sharer's own only, in the contract's shape, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from rewards import selectors
from tests.factories import UserFactory
from tests.rewards.commission_support import sku_at
from tests.rewards.earnings_support import sale

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_earnings_answers_the_balances_and_the_funnel():
    """20.00 pending after 2 × 100.00 at 10 %, money as two-place strings with the currency."""
    sold = sale(rate_bp=1000, price=10_000, quantity=2)

    body = client_for(sold.sharer).get("/api/v1/earnings").json()

    assert body == {
        "currency": "CNY",
        "pending": "20.00",
        "available": "0.00",
        "in_payout": "0.00",
        "paid_out": "0.00",
        "clicks": 1,
        "orders": 1,
        "conversion_rate": 1.0,
        "earnings_per_click": "20.00",
    }


def test_commissions_list_has_the_contract_fields_and_the_reason():
    """One row per commission: id, order line, product, amount, rate, status, time, and why."""
    sold = sale(rate_bp=1000, price=10_000, quantity=2)

    body = client_for(sold.sharer).get("/api/v1/earnings/commissions").json()

    [row] = body["results"]
    assert body["next"] is None
    assert row["id"] == sold.commission.pk
    assert row["order_line"] == sold.commission.line_id
    assert row["product"] == {"id": sold.link.product_id, "name": sold.link.product.name}
    assert (row["amount"], row["base"], row["currency"]) == ("20.00", "200.00", "CNY")
    assert (row["rate"], row["rate_bp"], row["status"]) == ("10%", 1000, "pending")
    assert row["link"] == sold.link.code
    assert row["reason"].startswith("Credited: a tap on your link")
    assert row["created_at"]


def test_commissions_filter_by_status_and_refuse_an_unknown_one():
    """?status=pending keeps the pending ones, ?status=paid none, ?status=nonsense is a 400."""
    sold = sale()
    client = client_for(sold.sharer)

    assert len(client.get("/api/v1/earnings/commissions?status=pending").json()["results"]) == 1
    assert client.get("/api/v1/earnings/commissions?status=paid").json()["results"] == []
    refused = client.get("/api/v1/earnings/commissions?status=nonsense")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_status"


def test_commissions_cost_the_same_queries_for_one_row_or_many(django_assert_max_num_queries):
    """The rows and everything their reasons need come in one query whatever the page's size:
    a sharer with five sales costs what one with one sale does."""
    sharer = UserFactory()
    sku = sku_at(1000)
    for _ in range(5):
        sale(sharer, sku=sku, quantity=1)
    client = client_for(sharer)

    # Session-less token auth: the page and its count, nothing per row.
    with django_assert_max_num_queries(3):
        body = client.get("/api/v1/earnings/commissions").json()

    assert len(body["results"]) == 5


def test_daily_defaults_to_the_last_30_days_with_zeros():
    """Without parameters: 30 rows ending today (business time), today's sale on the last."""
    sold = sale(rate_bp=1000, price=10_000, quantity=1)

    rows = client_for(sold.sharer).get("/api/v1/earnings/daily").json()

    assert len(rows) == 30
    assert rows[-1]["date"] == selectors.today().isoformat()
    assert rows[-1] == {
        "date": selectors.today().isoformat(),
        "clicks": 1,
        "orders": 1,
        "commission": "10.00",
    }
    assert all(row["clicks"] == 0 for row in rows[:-2])


def test_daily_takes_from_and_to():
    """?from=&to= answer exactly those days, both included."""
    today = selectors.today()
    start = today - timedelta(days=2)

    rows = (
        client_for(UserFactory())
        .get(f"/api/v1/earnings/daily?from={start.isoformat()}&to={today.isoformat()}")
        .json()
    )

    assert [row["date"] for row in rows] == [
        (start + timedelta(days=n)).isoformat() for n in range(3)
    ]


@pytest.mark.parametrize(
    "query",
    ["from=2026-03-05&to=2026-03-01", "from=2020-01-01&to=2026-03-01", "from=yesterday"],
)
def test_daily_refuses_bad_ranges(query):
    """A backwards range, more than MAX_DAYS at once, or a date that is not one: a 400."""
    response = client_for(UserFactory()).get(f"/api/v1/earnings/daily?{query}")

    assert response.status_code == 400
    assert "error" in response.json()


def test_links_answer_each_links_figures():
    """Per link: code, product, post, taps, orders, commission, conversion, per tap."""
    sold = sale(rate_bp=1000, price=10_000, quantity=2)

    [row] = client_for(sold.sharer).get("/api/v1/earnings/links").json()

    assert row == {
        "code": sold.link.code,
        "product": {"id": sold.link.product_id, "name": sold.link.product.name},
        "post": None,
        "clicks": 1,
        "orders": 1,
        "commission": "20.00",
        "conversion_rate": 1.0,
        "earnings_per_click": "20.00",
        "currency": "CNY",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/earnings",
        "/api/v1/earnings/commissions",
        "/api/v1/earnings/daily",
        "/api/v1/earnings/links",
        "/api/v1/earnings/payee",
        "/api/v1/payouts",
    ],
)
def test_anonymous_callers_are_refused(path):
    """Every earnings row needs a signed-in caller."""
    assert APIClient().get(path).status_code in (401, 403)


def test_another_sharer_sees_none_of_it():
    """A signed-in stranger gets their own empty figures, never the sharer's."""
    sale()
    stranger = client_for(UserFactory())

    assert stranger.get("/api/v1/earnings").json()["pending"] == "0.00"
    assert stranger.get("/api/v1/earnings/commissions").json()["results"] == []
    assert stranger.get("/api/v1/earnings/links").json() == []
    days = stranger.get("/api/v1/earnings/daily").json()
    assert sum(day["clicks"] + day["orders"] for day in days) == 0
