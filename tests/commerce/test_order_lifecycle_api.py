"""The order-life API: confirm-delivery for the buyer, merchant/orders and ship for the shop;
a shop never sees nor acts on another shop's orders."""

import pytest

from commerce.models import SKU, Order, OrderStatus
from commerce.orders.lifecycle import order_ship
from tests.commerce.buying import buy
from tests.commerce.lifecycle_support import paid_order, shipped_order
from tests.factories import UserFactory
from tests.factories_commerce import MerchantStaffFactory, SKUFactory

pytestmark = pytest.mark.django_db

SHIP = {"carrier": "SF Express", "tracking_number": "SF100"}


def staff_client(api_client, merchant):
    api_client.force_authenticate(MerchantStaffFactory(merchant=merchant).user)
    return api_client


def test_merchant_ships_a_paid_order(api_client):
    """POST ship answers the order with its shipment; the stock is deducted."""
    sku = SKUFactory(on_hand=10)
    order = paid_order((sku, 2))
    client = staff_client(api_client, order.merchant)

    response = client.post(f"/api/v1/merchant/orders/{order.pk}/ship", SHIP, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "shipped"
    assert body["shipment"]["carrier"] == "SF Express"
    assert body["shipment"]["tracking_number"] == "SF100"
    assert body["shipment"]["shipped_at"]
    assert SKU.objects.get(pk=sku.pk).on_hand == 8


def test_shipping_twice_is_409(api_client):
    """A shipped order cannot ship again: 409 invalid_transition."""
    order = shipped_order()
    client = staff_client(api_client, order.merchant)

    response = client.post(f"/api/v1/merchant/orders/{order.pk}/ship", SHIP, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_ship_needs_carrier_and_tracking_number(api_client):
    """Missing fields are 400 and the order stays paid."""
    order = paid_order()
    client = staff_client(api_client, order.merchant)

    response = client.post(f"/api/v1/merchant/orders/{order.pk}/ship", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"carrier", "tracking_number"}
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


def test_another_shops_order_is_404_to_read_and_to_ship(api_client):
    """Staff of shop B neither see nor ship shop A's order."""
    order = paid_order()
    client = staff_client(api_client, SKUFactory().product.merchant)

    assert client.get(f"/api/v1/merchant/orders/{order.pk}").status_code == 404
    response = client.post(f"/api/v1/merchant/orders/{order.pk}/ship", SHIP, format="json")
    assert response.status_code == 404
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    assert client.get("/api/v1/merchant/orders").json()["results"] == []


def test_not_staff_is_403(api_client):
    """A user without a shop gets 403 not_merchant_staff."""
    api_client.force_authenticate(UserFactory())
    response = api_client.get("/api/v1/merchant/orders")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_merchant_staff"


def test_merchant_orders_by_status_bounded(api_client, django_assert_max_num_queries):
    """The list filters by status and reads a page in a fixed number of queries; unpaid orders
    are not the shop's business yet."""
    sku = SKUFactory(on_hand=100)
    merchant = sku.product.merchant
    paid = [paid_order((sku, 1)) for _ in range(3)]
    buy(UserFactory(), (sku, 1))
    order_ship(order=paid[0], actor=None, carrier="EMS", tracking_number="E1")
    client = staff_client(api_client, merchant)

    with django_assert_max_num_queries(8):
        everything = client.get("/api/v1/merchant/orders").json()["results"]
    assert {row["id"] for row in everything} == {order.pk for order in paid}
    only_shipped = client.get("/api/v1/merchant/orders?status=shipped").json()["results"]
    assert [row["id"] for row in only_shipped] == [paid[0].pk]
    assert only_shipped[0]["buyer"]["id"] == paid[0].buyer_id


def test_unknown_status_filter_is_400(api_client):
    """A status that does not exist is a 400, not an empty list."""
    order = paid_order()
    client = staff_client(api_client, order.merchant)
    response = client.get("/api/v1/merchant/orders?status=lost")
    assert response.status_code == 400


def test_buyer_confirms_delivery(api_client):
    """POST confirm-delivery: 200 with the order delivered; a second time 409."""
    order = shipped_order()
    api_client.force_authenticate(order.buyer)

    response = api_client.post(f"/api/v1/orders/{order.pk}/confirm-delivery")

    assert response.status_code == 200
    assert response.json()["status"] == "delivered"
    assert response.json()["delivered_at"]
    again = api_client.post(f"/api/v1/orders/{order.pk}/confirm-delivery")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"


def test_confirm_delivery_before_shipping_is_409(api_client):
    """A paid order not shipped yet cannot be confirmed delivered."""
    order = paid_order()
    api_client.force_authenticate(order.buyer)
    response = api_client.post(f"/api/v1/orders/{order.pk}/confirm-delivery")
    assert response.status_code == 409


def test_another_users_order_cannot_be_confirmed(api_client):
    """Someone else's order is 404 and stays shipped."""
    order = shipped_order()
    api_client.force_authenticate(UserFactory())
    response = api_client.post(f"/api/v1/orders/{order.pk}/confirm-delivery")
    assert response.status_code == 404
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED
