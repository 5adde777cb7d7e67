"""API.md "Rewards": `GET / PUT earnings/payee`, `POST / GET payouts`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rewards.models import Payout
from rewards.payouts import payout_request
from tests.factories import UserFactory
from tests.rewards.payout_support import balances, fund, sharer_with_payee

pytestmark = pytest.mark.django_db

PAYEE = {"method": "alipay", "account": "ann@example.com", "real_name": "Ann Sharer"}


def _payee_url() -> str:
    return reverse("api-earnings-payee")


def _payouts_url() -> str:
    return reverse("api-payouts")


def test_anonymous_cannot_read_or_write(api_client):
    """Signed out: every payee and payout endpoint is refused."""
    assert api_client.get(_payee_url()).status_code in (401, 403)
    assert api_client.put(_payee_url(), PAYEE, format="json").status_code in (401, 403)
    assert api_client.get(_payouts_url()).status_code in (401, 403)
    assert api_client.post(_payouts_url(), {"amount": "10.00"}, format="json").status_code in (
        401,
        403,
    )


def test_payee_is_404_until_set_then_reads_back(api_client):
    """GET before PUT is 404; PUT sets it; GET answers what was set."""
    api_client.force_authenticate(UserFactory())
    assert api_client.get(_payee_url()).status_code == 404

    put = api_client.put(_payee_url(), PAYEE, format="json")
    got = api_client.get(_payee_url())

    assert put.status_code == 200
    assert {k: got.json()[k] for k in PAYEE} == PAYEE


def test_payee_put_names_the_wrong_fields(api_client):
    """An unknown method and a missing name: 400 naming both fields."""
    api_client.force_authenticate(UserFactory())
    response = api_client.put(_payee_url(), {"method": "cash", "account": "x"}, format="json")
    assert response.status_code == 400
    assert {"method", "real_name"} <= set(response.json()["error"]["fields"])


def test_payout_post_moves_the_amount_and_answers_201(api_client):
    """POST payouts {amount: "10.00"}: 201 {id, amount, status: requested}; 10.00 in payout."""
    sharer = sharer_with_payee()
    fund(sharer, 2500)
    api_client.force_authenticate(sharer)

    response = api_client.post(_payouts_url(), {"amount": "10.00"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["amount"], body["status"], body["currency"]) == ("10.00", "requested", "CNY")
    assert balances(sharer)["in_payout"] == 1000


@pytest.mark.parametrize(
    ("has_payee", "amount", "code"),
    [
        (False, "10.00", "payee_missing"),
        (True, "9.99", "below_minimum"),
        (True, "25.01", "insufficient_balance"),
    ],
)
def test_payout_post_refusals(api_client, has_payee, amount, code):
    """No payee, below the minimum, above the balance: 400 with the API's code; nothing moved."""
    sharer = sharer_with_payee() if has_payee else UserFactory()
    fund(sharer, 2500)
    api_client.force_authenticate(sharer)

    response = api_client.post(_payouts_url(), {"amount": amount}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert balances(sharer)["available"] == 2500


def test_payout_post_honours_idempotency_key(api_client):
    """The same key and body twice: one payout, the same answer replayed; the same key with
    another body: 409 idempotency_conflict."""
    sharer = sharer_with_payee()
    fund(sharer, 5000)
    api_client.force_authenticate(sharer)
    headers = {"Idempotency-Key": "payout-1"}

    first = api_client.post(_payouts_url(), {"amount": "20.00"}, format="json", headers=headers)
    again = api_client.post(_payouts_url(), {"amount": "20.00"}, format="json", headers=headers)
    other = api_client.post(_payouts_url(), {"amount": "30.00"}, format="json", headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 409
    assert Payout.objects.count() == 1
    assert balances(sharer)["in_payout"] == 2000


def test_payouts_list_shows_only_mine_newest_first(api_client, django_assert_max_num_queries):
    """GET payouts lists the caller's payouts only, in a bounded number of queries."""
    sharer, other = sharer_with_payee(), sharer_with_payee()
    fund(sharer, 10000)
    fund(other, 10000)
    mine = [payout_request(user=sharer, amount=1000 + i) for i in range(3)]
    payout_request(user=other, amount=5000)
    api_client.force_authenticate(sharer)

    with django_assert_max_num_queries(4):
        response = api_client.get(_payouts_url())

    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [payout.pk for payout in reversed(mine)]


def test_payee_of_another_sharer_is_never_shown(api_client):
    """GET earnings/payee answers the caller's own payee, never another's."""
    sharer_with_payee()
    api_client.force_authenticate(UserFactory())
    assert api_client.get(_payee_url()).status_code == 404
