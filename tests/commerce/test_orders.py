"""Orders: the buyer's list and detail, cancel while unpaid, mark paid, the payment timeout."""

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.errors import InvalidTransition
from backend.events.models import Event
from commerce.models import SKU, Order, OrderEvent, OrderStatus, Payment, PaymentStatus
from commerce.orders.services import order_cancel, orders_mark_paid, payments_expire
from commerce.orders.transitions import ALLOWED, check_move
from tests.commerce.buying import buy
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory, SKUFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    return user


def test_every_status_is_in_the_table():
    assert set(ALLOWED) == set(OrderStatus.values)


def test_forbidden_move_raises_invalid_transition():
    with pytest.raises(InvalidTransition):
        check_move(OrderStatus.CANCELLED, OrderStatus.PAID)


def test_list_is_mine_newest_first_and_bounded(api_client, buyer, django_assert_max_num_queries):
    """Only my orders, newest first, in a fixed number of queries."""
    for _ in range(4):
        buy(buyer, (SKUFactory(), 1), (SKUFactory(), 2))
    buy(UserFactory(), (SKUFactory(), 1))

    with django_assert_max_num_queries(6):
        body = api_client.get("/api/v1/orders").json()

    ids = [order["id"] for order in body["results"]]
    assert ids == list(
        Order.objects.filter(buyer=buyer)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
    )
    assert len(ids) == 8
    assert body["next"] is None


def test_detail_shape(api_client, buyer):
    sku = SKUFactory(price=450, product__merchant__shipping_fee=300)
    [order] = buy(buyer, (sku, 2)).orders

    body = api_client.get(f"/api/v1/orders/{order.pk}").json()

    assert body["merchant"] == {"id": sku.product.merchant_id, "name": sku.product.merchant.name}
    assert body["status"] == "pending_payment"
    assert body["payment_status"] == "pending"
    [line] = body["lines"]
    assert line["sku"] == {"id": sku.pk, "name": sku.name}
    assert line["product"] == {"id": sku.product_id, "name": sku.product.name}
    assert (line["quantity"], line["unit_price"], line["discount"], line["total"]) == (
        2,
        "4.50",
        "0.00",
        "9.00",
    )
    assert (body["subtotal"], body["discount"], body["shipping"], body["total"]) == (
        "9.00",
        "0.00",
        "3.00",
        "12.00",
    )
    assert body["currency"] == "CNY"
    assert body["shipment"] is None
    assert body["created_at"]


def test_another_users_order_is_404(api_client, buyer):
    [order] = buy(UserFactory(), (SKUFactory(), 1)).orders

    assert api_client.get(f"/api/v1/orders/{order.pk}").status_code == 404
    assert api_client.post(f"/api/v1/orders/{order.pk}/cancel").status_code == 404
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING_PAYMENT


def test_cancel_while_unpaid_releases_stock(api_client, buyer):
    sku = SKUFactory(on_hand=5)
    [order] = buy(buyer, (sku, 3)).orders

    response = api_client.post(
        f"/api/v1/orders/{order.pk}/cancel", {"status": "paid"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert SKU.objects.get(pk=sku.pk).reserved == 0
    assert OrderEvent.objects.filter(order=order, to_status="cancelled", actor=buyer).exists()
    assert Event.objects.filter(
        name="order.cancelled", payload={"order": order.pk, "buyer": buyer.pk}
    ).exists()


def test_cancel_twice_is_409_and_releases_once(api_client, buyer):
    sku = SKUFactory(on_hand=5)
    [order] = buy(buyer, (sku, 2)).orders
    buy(UserFactory(), (sku, 1))
    api_client.post(f"/api/v1/orders/{order.pk}/cancel")

    response = api_client.post(f"/api/v1/orders/{order.pk}/cancel")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert SKU.objects.get(pk=sku.pk).reserved == 1


def test_paid_order_cannot_be_cancelled(api_client, buyer):
    result = buy(buyer, (SKUFactory(), 1))
    orders_mark_paid(payment=result.payment)

    response = api_client.post(f"/api/v1/orders/{result.orders[0].pk}/cancel")

    assert response.status_code == 409


def test_mark_paid_pays_every_order_and_publishes(buyer):
    """Every pending order of the payment becomes paid, with the order.paid payload."""
    skus = [SKUFactory(product__merchant=MerchantFactory()) for _ in range(2)]
    result = buy(buyer, (skus[0], 1), (skus[1], 2))

    paid = orders_mark_paid(payment=result.payment)

    assert {order.pk for order in paid} == {order.pk for order in result.orders}
    for order in Order.objects.filter(payment=result.payment):
        assert order.status == OrderStatus.PAID
        assert order.paid_at is not None
    event = Event.objects.filter(name="order.paid").order_by("pk").last()
    payload = event.payload
    order = Order.objects.get(pk=payload["order"])
    line = order.lines.get()
    assert payload == {
        "order": order.pk,
        "buyer": buyer.pk,
        "placed_at": order.created_at.isoformat(),
        "lines": [
            {
                "line": line.pk,
                "product": line.product_id,
                "sku": line.sku_id,
                "category": line.category_id,
                "merchant": line.merchant_id,
                "quantity": line.quantity,
                "net_amount": line.net_amount,
            }
        ],
    }


def test_mark_paid_leaves_cancelled_orders_alone(buyer):
    result = buy(buyer, (SKUFactory(), 1))
    order_cancel(order=result.orders[0], actor=buyer, reason="changed my mind")

    assert orders_mark_paid(payment=result.payment) == []
    assert Order.objects.get().status == OrderStatus.CANCELLED


def test_timeout_cancels_expired_unpaid_orders_and_releases_stock(buyer):
    sku = SKUFactory(on_hand=4)
    expired = buy(buyer, (sku, 2))
    fresh = buy(UserFactory(), (sku, 1))
    later = expired.payment.expires_at + timedelta(seconds=1)
    fresh.payment.expires_at = later + timedelta(minutes=5)
    fresh.payment.save()

    assert payments_expire(now=later) == 1

    assert Order.objects.get(pk=expired.orders[0].pk).status == OrderStatus.CANCELLED
    assert Order.objects.get(pk=fresh.orders[0].pk).status == OrderStatus.PENDING_PAYMENT
    assert SKU.objects.get(pk=sku.pk).reserved == 1
    assert payments_expire(now=later) == 0


def test_timeout_releases_the_stock_of_a_declined_payment(buyer):
    """A declined payment can be retried until it expires; then its orders go and stock returns."""
    sku = SKUFactory(on_hand=3)
    result = buy(buyer, (sku, 2))
    Payment.objects.filter(pk=result.payment.pk).update(status=PaymentStatus.FAILED)

    assert payments_expire(now=result.payment.expires_at + timedelta(seconds=1)) == 1

    assert Order.objects.get(pk=result.orders[0].pk).status == OrderStatus.CANCELLED
    assert SKU.objects.get(pk=sku.pk).reserved == 0


def test_timeout_spares_paid_orders(buyer):
    result = buy(buyer, (SKUFactory(), 1))
    orders_mark_paid(payment=result.payment)

    assert payments_expire(now=timezone.now() + timedelta(days=1)) == 0


def test_timeout_is_a_scheduled_job():
    from backend.scheduler import PERIODIC_JOBS

    [job] = [job for job in PERIODIC_JOBS if job.task == "commerce.orders.tasks.expire_payments"]
    assert job.every == timedelta(seconds=60)
