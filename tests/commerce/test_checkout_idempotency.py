"""POST checkout with an Idempotency-Key: a retry returns the first result, never a second order."""

import pytest

from backend.idempotency.models import IdempotencyRecord
from commerce.models import Order, Payment
from tests.commerce.buying import ADDRESS, fill_cart
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    fill_cart(user, (SKUFactory(on_hand=10), 2))
    return user


def post(api_client, body, key):
    return api_client.post(
        "/api/v1/checkout", body, format="json", headers={"Idempotency-Key": key}
    )


def test_same_key_and_body_returns_the_same_result(api_client, buyer):
    first = post(api_client, {"address": ADDRESS}, "k-1")
    again = post(api_client, {"address": dict(reversed(ADDRESS.items()))}, "k-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1


def test_same_key_other_body_is_409(api_client, buyer):
    post(api_client, {"address": ADDRESS}, "k-2")

    response = post(api_client, {"address": {**ADDRESS, "city": "Suzhou"}}, "k-2")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_conflict"
    assert Order.objects.count() == 1


def test_a_failure_is_not_recorded(api_client, buyer):
    """A refused request keeps no record: a corrected retry with the same key goes through."""
    bad = post(api_client, {"address": {**ADDRESS, "phone": ""}}, "k-3")
    good = post(api_client, {"address": ADDRESS}, "k-3")

    assert (bad.status_code, good.status_code) == (400, 201)
    assert IdempotencyRecord.objects.get(key="k-3").status_code == 201


def test_keys_are_per_user(api_client, buyer):
    post(api_client, {"address": ADDRESS}, "shared")
    other = UserFactory()
    fill_cart(other, (SKUFactory(), 1))
    api_client.force_authenticate(other)

    response = post(api_client, {"address": ADDRESS}, "shared")

    assert response.status_code == 201
    assert Order.objects.filter(buyer=other).count() == 1


def test_without_a_key_each_request_is_new(api_client, buyer):
    first = api_client.post("/api/v1/checkout", {"address": ADDRESS}, format="json")
    second = api_client.post("/api/v1/checkout", {"address": ADDRESS}, format="json")

    assert (first.status_code, second.status_code) == (201, 400)
    assert second.json()["error"]["code"] == "cart_empty"


def test_overlong_key_is_400(api_client, buyer):
    response = post(api_client, {"address": ADDRESS}, "k" * 300)

    assert response.status_code == 400
    assert not Order.objects.exists()


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_place_one_order():
    """Eight simultaneous submits with one key: one order, eight identical 201 answers."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection
    from rest_framework.test import APIClient

    user = UserFactory()
    fill_cart(user, (SKUFactory(on_hand=10), 1))
    barrier = Barrier(8)

    def submit(_):
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait(timeout=5)
        try:
            return post(client, {"address": ADDRESS}, "same-key")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(submit, range(8)))

    assert [response.status_code for response in responses] == [201] * 8
    assert all(response.json() == responses[0].json() for response in responses)
    assert Order.objects.count() == 1
