"""Refunds: the buyer's request, the shop's decision, settlement by the provider, amounts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.events.models import Event
from commerce.models import (
    SKU,
    OrderLine,
    OrderStatus,
    PaymentRefund,
    Refund,
    RefundStatus,
)
from commerce.orders.lifecycle import order_confirm_delivery, order_ship, orders_complete
from commerce.refunds.services import (
    line_refund_amount,
    refund_approve,
    refund_reject,
)
from tests.commerce.buying import buy
from tests.commerce.refunding import ask, paid_order, refund_fully
from tests.factories import UserFactory
from tests.factories_commerce import MerchantStaffFactory, SKUFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    return user


def test_line_amounts_floor_and_the_last_unit_takes_the_remainder():
    """1000 over 3 units: 333, 333, then 334; any split adds up to the net exactly."""
    first = line_refund_amount(net=1000, quantity=3, taken_units=0, taken_amount=0, k=1)
    second = line_refund_amount(net=1000, quantity=3, taken_units=1, taken_amount=first, k=1)
    last = line_refund_amount(net=1000, quantity=3, taken_units=2, taken_amount=666, k=1)
    assert (first, second, last) == (333, 333, 334)
    two = line_refund_amount(net=1000, quantity=3, taken_units=0, taken_amount=0, k=2)
    assert (
        two + line_refund_amount(net=1000, quantity=3, taken_units=2, taken_amount=two, k=1) == 1000
    )


def test_request_answers_201_with_the_amount(api_client, buyer):
    """POST orders/{id}/refunds: 201 {id, status requested, amount, currency}; nothing moves yet."""
    order = paid_order(buyer, (SKUFactory(price=1000, product__merchant__shipping_fee=0), 3))
    line = order.lines.get()

    response = api_client.post(
        f"/api/v1/orders/{order.pk}/refunds",
        {"lines": [{"line_id": line.pk, "quantity": 1}], "reason": "One was bruised"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "requested"
    assert (body["amount"], body["currency"]) == ("10.00", "CNY")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    listed = api_client.get(f"/api/v1/orders/{order.pk}/refunds").json()
    assert [r["id"] for r in listed] == [body["id"]]


def test_partial_amounts_add_up_to_the_net(buyer):
    """Three one-unit refunds of a line of net 9.98: 3.32, 3.32, and the last unit 3.34."""
    sku = SKUFactory(price=333, product__merchant__shipping_fee=0)
    order = paid_order(buyer, (sku, 3))
    OrderLine.objects.filter(order=order).update(discount=1, net_amount=998)
    amounts = [refund_fully(ask(order, 1)).amount for _ in range(3)]
    assert amounts == [332, 332, 334]
    line = order.lines.get()
    assert (line.refunded_quantity, line.refunded_amount) == (3, 998)


def test_whole_refund_before_shipping_returns_shipping_and_stock(buyer):
    """Everything refunded before it ships: goods + shipping back, reserved stock released,
    order refunded, and order.refunded published."""
    sku = SKUFactory(price=500, on_hand=10, product__merchant__shipping_fee=300)
    order = paid_order(buyer, (sku, 2))
    assert SKU.objects.get(pk=sku.pk).reserved == 2

    refund = refund_fully(ask(order, 2))

    assert (refund.status, refund.amount, refund.shipping_amount) == ("refunded", 1000, 300)
    assert PaymentRefund.objects.get(pk=refund.payment_refund_id).amount == order.total
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    sku.refresh_from_db()
    assert (sku.on_hand, sku.reserved) == (10, 0)
    event = Event.objects.filter(name="order.refunded").get()
    assert event.payload == {
        "order": order.pk,
        "refund": refund.pk,
        "lines": [{"line": order.lines.get().pk, "quantity": 2, "amount": 1000}],
        "shipping_refunded": 300,
    }


def test_shipping_kept_when_refunded_after_shipping(buyer):
    """The whole order refunded after it shipped: goods only, shipping stays with the shop."""
    sku = SKUFactory(price=500, product__merchant__shipping_fee=300)
    order = paid_order(buyer, (sku, 2))
    order_ship(order=order, actor=order.merchant.owner, carrier="SF", tracking_number="SF1")

    refund = refund_fully(ask(order, 2))

    assert (refund.amount, refund.shipping_amount) == (1000, 0)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED


def test_shipping_kept_on_partial_refund(buyer):
    """Part of the order refunded before shipping: no shipping goes back."""
    order = paid_order(buyer, (SKUFactory(price=500, product__merchant__shipping_fee=300), 2))
    refund = refund_fully(ask(order, 1))
    assert (refund.amount, refund.shipping_amount) == (500, 0)


def test_partial_refund_then_delivery_and_completion(buyer, settings):
    """1 of 3 refunded before shipping: partially refunded, ships the other 2 (stock), is
    delivered and completed once the return window is over."""
    sku = SKUFactory(price=1000, on_hand=10, product__merchant__shipping_fee=0)
    order = paid_order(buyer, (sku, 3))
    refund_fully(ask(order, 1))
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_REFUNDED
    sku.refresh_from_db()
    assert (sku.on_hand, sku.reserved) == (10, 2)

    order_ship(order=order, actor=order.merchant.owner, carrier="SF", tracking_number="SF2")
    sku.refresh_from_db()
    assert (sku.on_hand, sku.reserved) == (8, 0)
    order_confirm_delivery(order=order, actor=buyer)
    settings.RETURN_WINDOW_DAYS = 7
    assert orders_complete(now=timezone.now() + timedelta(days=8)) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_fully_refunded_order_is_never_completed(buyer):
    order = paid_order(buyer, (SKUFactory(), 1))
    refund_fully(ask(order, 1))
    assert orders_complete(now=timezone.now() + timedelta(days=365)) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED


def test_open_request_blocks_completion(buyer):
    """A delivered order with a pending request stays delivered past the window."""
    order = paid_order(buyer, (SKUFactory(), 2))
    order_ship(order=order, actor=order.merchant.owner, carrier="SF", tracking_number="SF3")
    order_confirm_delivery(order=order, actor=buyer)
    ask(order, 1)
    assert orders_complete(now=timezone.now() + timedelta(days=365)) == 0


def test_refund_after_completion_refused(api_client, buyer):
    """409 order_not_refundable once completed (and for unpaid orders)."""
    order = paid_order(buyer, (SKUFactory(), 1))
    order_ship(order=order, actor=order.merchant.owner, carrier="SF", tracking_number="SF4")
    order_confirm_delivery(order=order, actor=buyer)
    orders_complete(now=timezone.now() + timedelta(days=365))
    [unpaid] = buy(buyer, (SKUFactory(), 1)).orders

    for target in (order, unpaid):
        line = target.lines.get()
        response = api_client.post(
            f"/api/v1/orders/{target.pk}/refunds",
            {"lines": [{"line_id": line.pk, "quantity": 1}], "reason": "Late"},
            format="json",
        )
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "order_not_refundable"
    assert not Refund.objects.exists()


def test_units_in_an_open_request_refused_until_rejected(api_client, buyer):
    """Units held by an open request (or already refunded) cannot be asked for again: 409
    refund_units_unavailable; a rejection frees them."""
    order = paid_order(buyer, (SKUFactory(), 2))
    line = order.lines.get()
    first = ask(order, 2)

    response = api_client.post(
        f"/api/v1/orders/{order.pk}/refunds",
        {"lines": [{"line_id": line.pk, "quantity": 1}], "reason": "Again"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "refund_units_unavailable"

    refund_reject(refund=first, actor=order.merchant.owner)
    assert ask(order, 1).status == RefundStatus.REQUESTED


def test_bad_input_is_400_and_changes_nothing(api_client, buyer):
    order = paid_order(buyer, (SKUFactory(), 1))
    other_line = paid_order(UserFactory(), (SKUFactory(), 1)).lines.get()
    for body in (
        {"lines": [], "reason": "x"},
        {"lines": [{"line_id": other_line.pk, "quantity": 1}], "reason": "x"},
        {"lines": [{"line_id": order.lines.get().pk, "quantity": 0}], "reason": "x"},
        {"lines": [{"line_id": order.lines.get().pk, "quantity": 1}], "reason": ""},
        {"lines": "nope"},
    ):
        response = api_client.post(f"/api/v1/orders/{order.pk}/refunds", body, format="json")
        assert response.status_code == 400, body
    assert not Refund.objects.exists()


def test_idempotency_key_replays_the_first_answer(api_client, buyer):
    order = paid_order(buyer, (SKUFactory(), 2))
    body = {"lines": [{"line_id": order.lines.get().pk, "quantity": 1}], "reason": "Bruised"}
    url = f"/api/v1/orders/{order.pk}/refunds"

    first = api_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = api_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    other = api_client.post(
        url, {**body, "reason": "Other"}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_conflict"
    assert Refund.objects.count() == 1


def test_another_buyers_order_is_404(api_client, buyer):
    order = paid_order(UserFactory(), (SKUFactory(), 1))
    body = {"lines": [{"line_id": order.lines.get().pk, "quantity": 1}], "reason": "Mine?"}
    assert (
        api_client.post(f"/api/v1/orders/{order.pk}/refunds", body, format="json").status_code
        == 404
    )
    assert api_client.get(f"/api/v1/orders/{order.pk}/refunds").status_code == 404


def test_merchant_approves_with_audit_and_payment_refund(api_client):
    """Approve: a PaymentRefund for goods + shipping, an audit row; deciding twice is 409."""
    order = paid_order(UserFactory(), (SKUFactory(price=800), 1))
    refund = ask(order, 1)
    staff = MerchantStaffFactory(merchant=order.merchant).user
    api_client.force_authenticate(staff)

    response = api_client.post(f"/api/v1/merchant/refunds/{refund.pk}/approve")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    refund.refresh_from_db()
    assert refund.payment_refund.amount == refund.amount + refund.shipping_amount
    entry = AuditEntry.objects.get(action="refund.approve")
    assert (entry.actor, entry.before["status"], entry.after["status"]) == (
        staff,
        "requested",
        "approved",
    )
    again = api_client.post(f"/api/v1/merchant/refunds/{refund.pk}/reject")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "refund_already_decided"


def test_merchant_rejects(api_client):
    order = paid_order(UserFactory(), (SKUFactory(), 1))
    refund = ask(order, 1)
    api_client.force_authenticate(order.merchant.owner)
    response = api_client.post(f"/api/v1/merchant/refunds/{refund.pk}/reject")
    assert response.json()["status"] == "rejected"
    assert AuditEntry.objects.filter(action="refund.reject").count() == 1
    assert not PaymentRefund.objects.exists()


def test_another_shop_never_sees_or_decides(api_client):
    """Another shop's refund is 404 to list, approve and reject; non-staff get 403."""
    refund = ask(paid_order(UserFactory(), (SKUFactory(), 1)), 1)
    other_shop_owner = SKUFactory().product.merchant.owner
    api_client.force_authenticate(other_shop_owner)
    assert api_client.get("/api/v1/merchant/refunds").json()["results"] == []
    for action in ("approve", "reject"):
        assert api_client.post(f"/api/v1/merchant/refunds/{refund.pk}/{action}").status_code == 404
    api_client.force_authenticate(UserFactory())
    response = api_client.post(f"/api/v1/merchant/refunds/{refund.pk}/approve")
    assert response.status_code == 403
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REQUESTED


def test_merchant_list_filters_and_is_bounded(api_client, django_assert_max_num_queries):
    sku = SKUFactory(on_hand=50)
    shop = sku.product.merchant
    refunds = [ask(paid_order(UserFactory(), (sku, 2)), 1) for _ in range(4)]
    refund_reject(refund=refunds[0], actor=shop.owner)
    api_client.force_authenticate(shop.owner)

    with django_assert_max_num_queries(8):
        body = api_client.get("/api/v1/merchant/refunds?status=requested").json()

    assert [r["id"] for r in body["results"]] == [r.pk for r in reversed(refunds[1:])]
    assert api_client.get("/api/v1/merchant/refunds?status=bogus").status_code == 400


def test_sandbox_settles_an_approved_refund_end_to_end(django_capture_on_commit_callbacks):
    """With the sandbox provider, approval reaches the provider after commit, its
    refund.succeeded webhook settles the PaymentRefund, and that marks our refund refunded."""
    order = paid_order(UserFactory(), (SKUFactory(price=700), 2))
    refund = ask(order, 1)

    with django_capture_on_commit_callbacks(execute=True):
        refund_approve(refund=refund, actor=order.merchant.owner)

    refund.refresh_from_db()
    assert refund.status == RefundStatus.REFUNDED
    assert refund.payment_refund.status == PaymentRefund.Status.SUCCEEDED
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_REFUNDED
    assert order.lines.get().refunded_quantity == 1
