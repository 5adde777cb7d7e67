"""Payments in the API: GET payments/{id}, the payment object, and payment_create."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.errors import InvalidInput
from commerce.models import PaymentStatus
from commerce.payments.selectors import payment_out
from commerce.payments.services import payment_create
from commerce.payments.signing import pay_token
from tests.commerce.payment_support import place_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_payment_out_has_the_contract_fields(settings):
    """{id, amount, currency, provider, status, pay_url}; pay_url is the signed hosted page."""
    settings.SITE_URL = "https://shop.example"
    payment = place_order(shops=2).payment

    out = payment_out(payment)

    assert out == {
        "id": payment.pk,
        "amount": "25.00",
        "currency": "CNY",
        "provider": "sandbox",
        "status": "pending",
        "pay_url": f"https://shop.example/pay/{payment.pk}/?t={pay_token(payment.pk)}",
    }


def test_buyer_reads_own_payment(api_client, django_assert_max_num_queries):
    """GET payments/{id}: the payment with its orders, in a fixed number of queries."""
    result = place_order(shops=3)
    api_client.force_authenticate(result.payment.buyer)

    with django_assert_max_num_queries(4):
        response = api_client.get(f"/api/v1/payments/{result.payment.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["amount"] == "37.50"
    assert body["status"] == "pending"
    assert [order["id"] for order in body["orders"]] == sorted(o.pk for o in result.orders)
    assert body["orders"][0]["total"] == "12.50"
    assert body["orders"][0]["merchant"]["name"] == result.orders[0].merchant.name


def test_another_users_payment_is_404(api_client):
    """Nobody reads someone else's payment: 404, as if it did not exist."""
    payment = place_order().payment
    api_client.force_authenticate(UserFactory())
    response = api_client.get(f"/api/v1/payments/{payment.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_payment_needs_authentication(api_client):
    """Signed out: 401, nothing shown."""
    payment = place_order().payment
    assert api_client.get(f"/api/v1/payments/{payment.pk}").status_code == 401


def test_payment_create_sets_provider_and_expiry(settings):
    """A new payment: the deployment's provider and currency, expiring after the timeout."""
    settings.PAYMENT_TIMEOUT_MINUTES = 45
    before = timezone.now()

    payment = payment_create(buyer=UserFactory(), amount=990)

    assert payment.provider == "sandbox"
    assert payment.provider_ref == f"sbx_pay_{payment.pk}"
    assert payment.status == PaymentStatus.PENDING
    assert payment.currency == "CNY"
    assert before + timedelta(minutes=45) <= payment.expires_at
    assert payment.expires_at <= timezone.now() + timedelta(minutes=45)


def test_payment_create_refuses_a_total_other_than_the_orders():
    """The amount must be the orders' totals: a checkout bug never turns into a wrong charge."""
    result = place_order()
    with pytest.raises(InvalidInput):
        payment_create(buyer=result.payment.buyer, amount=1, orders=result.orders)
