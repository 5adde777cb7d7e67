"""POST /api/v1/payments/webhooks/sandbox: signature, once per event id, amounts, any order."""

from __future__ import annotations

import time

import pytest

from commerce.models import (
    OrderStatus,
    Payment,
    PaymentRefund,
    PaymentStatus,
    WebhookEvent,
)
from commerce.orders.services import order_cancel
from commerce.payments.webhooks import register_webhook_handler
from tests.commerce.payment_support import (
    encode,
    event,
    payment_event,
    place_order,
    post_webhook,
    signature,
)

pytestmark = pytest.mark.django_db


def _assert_untouched(payment: Payment) -> None:
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert payment.orders.filter(status=OrderStatus.PENDING_PAYMENT).count() == 1
    assert not WebhookEvent.objects.exists()


def _bad_signature(response) -> None:
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_signature"


def test_signed_success_marks_payment_and_orders_paid(client):
    """A correctly signed payment.succeeded pays the payment and every one of its orders."""
    payment = place_order(shops=2).payment

    response = post_webhook(client, payment_event("payment.succeeded", payment))

    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.paid_at is not None
    assert set(payment.orders.values_list("status", flat=True)) == {OrderStatus.PAID}
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED


def test_missing_signature_is_refused(client):
    """No X-Sandbox-Signature header: 400 bad_signature, nothing recorded."""
    payment = place_order().payment
    _bad_signature(post_webhook(client, payment_event("payment.succeeded", payment), header=""))
    _assert_untouched(payment)


@pytest.mark.parametrize(
    "header",
    ["garbage", "t=abc,v1=00", "v1=" + "0" * 64, "t=1,t=2,v1=" + "0" * 64, "t=1," + "x" * 2000],
)
def test_malformed_signature_header_is_refused(client, header):
    """A header that is not `t=<digits>,v1=<hex>` is a bad signature, never a 500."""
    payment = place_order().payment
    _bad_signature(post_webhook(client, payment_event("payment.succeeded", payment), header=header))
    _assert_untouched(payment)


def test_wrong_secret_is_refused(client):
    """A signature made with another secret: 400 bad_signature, nothing changes."""
    payment = place_order().payment
    body = payment_event("payment.succeeded", payment)
    _bad_signature(post_webhook(client, body, secret="not-the-secret"))
    _assert_untouched(payment)


@pytest.mark.parametrize("offset", [-301, 301])
def test_timestamp_beyond_tolerance_is_refused(client, offset):
    """A timestamp 301 s old or 301 s ahead is refused even with a valid HMAC."""
    payment = place_order().payment
    body = payment_event("payment.succeeded", payment)
    _bad_signature(post_webhook(client, body, at=int(time.time()) + offset))
    _assert_untouched(payment)


def test_timestamp_within_tolerance_is_accepted(client):
    """290 s old is still within the 300 s tolerance."""
    payment = place_order().payment
    response = post_webhook(
        client, payment_event("payment.succeeded", payment), at=int(time.time()) - 290
    )
    assert response.status_code == 200


def test_any_of_several_signatures_may_match(client):
    """During a secret rotation the header carries two v1 parts; the matching one is enough."""
    payment = place_order().payment
    raw_body = encode(payment_event("payment.succeeded", payment))
    header = signature(raw_body)
    rotated = header.replace("v1=", "v1=" + "0" * 64 + ",v1=")

    assert post_webhook(client, raw_body, header=rotated).status_code == 200


def test_tampered_body_is_refused(client):
    """The body changed after signing (a lower amount): 400 bad_signature, nothing changes."""
    payment = place_order().payment
    raw_body = encode(payment_event("payment.succeeded", payment))
    header = signature(raw_body)
    tampered = raw_body.replace(b'"amount": "12.50"', b'"amount": "0.01"')
    assert tampered != raw_body

    _bad_signature(post_webhook(client, tampered, header=header))
    _assert_untouched(payment)


@pytest.mark.parametrize(
    "raw_body",
    [b"{not json", b"[1, 2]", b'{"amount": NaN}', b"\xff\xfe"],
)
def test_signed_malformed_body_is_400(client, raw_body):
    """A signed body that is not a JSON object is refused with 400, nothing recorded."""
    payment = place_order().payment
    response = post_webhook(client, raw_body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"
    _assert_untouched(payment)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "payment.teleported"}, "type"),
        ({"id": ""}, "id"),
        ({"payment_id": "7"}, "payment_id"),
        ({"payment_id": True}, "payment_id"),
        ({"amount": 12.5}, "amount"),
        ({"amount": "-1.00"}, "amount"),
    ],
)
def test_invalid_fields_are_400(client, change, field):
    """Wrong types or unknown event types are named in the error; nothing is recorded."""
    payment = place_order().payment
    response = post_webhook(client, {**payment_event("payment.succeeded", payment), **change})
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    _assert_untouched(payment)


def test_unknown_payment_is_404_and_not_recorded(client):
    """An event naming no payment of ours is refused; no WebhookEvent row is left."""
    response = post_webhook(client, event("payment.succeeded", amount=100, payment_id=999_999))
    assert response.status_code == 404
    assert not WebhookEvent.objects.exists()


def test_repeated_event_has_one_effect(client, django_assert_max_num_queries):
    """The same event id delivered twice: both 200, the second marked duplicate, one effect."""
    payment = place_order().payment
    body = payment_event("payment.succeeded", payment)
    first = post_webhook(client, body)
    paid_at = Payment.objects.get(pk=payment.pk).paid_at

    second = post_webhook(client, body)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["duplicate"] is True
    assert Payment.objects.get(pk=payment.pk).paid_at == paid_at
    assert WebhookEvent.objects.count() == 1
    assert payment.orders.get().events.filter(to_status=OrderStatus.PAID).count() == 1


def test_wrong_amount_is_refused_then_right_event_succeeds(client):
    """amount_mismatch records nothing, so the correct event (even with the same id) applies."""
    payment = place_order().payment
    wrong = payment_event("payment.succeeded", payment, amount=payment.amount - 1)

    response = post_webhook(client, wrong)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "amount_mismatch"
    _assert_untouched(payment)

    right = {**wrong, "amount": "12.50"}
    assert post_webhook(client, right).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


def test_decline_fails_payment_and_keeps_orders_waiting(client):
    """payment.failed: the payment is failed, its orders stay pending_payment for a retry."""
    payment = place_order().payment

    assert post_webhook(client, payment_event("payment.failed", payment)).status_code == 200

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert payment.orders.get().status == OrderStatus.PENDING_PAYMENT


def test_success_after_decline_pays(client):
    """A retry after a decline succeeds: failed -> succeeded, orders paid."""
    payment = place_order().payment
    post_webhook(client, payment_event("payment.failed", payment))

    post_webhook(client, payment_event("payment.succeeded", payment))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.orders.get().status == OrderStatus.PAID


def test_late_decline_after_success_changes_nothing(client):
    """Events in any order: a decline of an earlier attempt arriving after success is ignored."""
    payment = place_order().payment
    post_webhook(client, payment_event("payment.succeeded", payment))

    assert post_webhook(client, payment_event("payment.failed", payment)).status_code == 200

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_success_after_cancellation_is_refunded_automatically(client):
    """The orders were cancelled (timeout) before the money came: the payment is recorded as
    succeeded, the whole amount is refunded through the provider, and it ends `refunded`."""
    result = place_order()
    payment = result.payment
    order_cancel(order=result.orders[0], actor=None, reason="Payment not received in time.")

    assert post_webhook(client, payment_event("payment.succeeded", payment)).status_code == 200

    payment.refresh_from_db()
    refund = PaymentRefund.objects.get(payment=payment)
    assert refund.amount == payment.amount
    assert refund.status == PaymentRefund.Status.SUCCEEDED
    assert f"Order {result.orders[0].pk}" in refund.reason
    assert refund.provider_ref
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.paid_at is not None
    assert payment.orders.get().status == OrderStatus.CANCELLED


@pytest.mark.django_db(transaction=True)
def test_success_after_one_of_two_orders_cancelled_refunds_that_order(client):
    """Only the cancelled order's total goes back; the other order is paid."""
    result = place_order(shops=2)
    payment = result.payment
    cancelled, kept = result.orders
    order_cancel(order=cancelled, actor=cancelled.buyer, reason="Changed my mind.")

    post_webhook(client, payment_event("payment.succeeded", payment))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert [r.amount for r in payment.refunds.all()] == [cancelled.total]
    assert payment.refunds.get().status == PaymentRefund.Status.SUCCEEDED
    kept.refresh_from_db()
    assert kept.status == OrderStatus.PAID


def test_refund_before_payment_success_is_held_then_applied(client):
    """A refund.succeeded that overtakes its payment's success is stored HELD (200), changes
    nothing, and is applied when the payment succeeds."""
    payment = place_order().payment
    refund = PaymentRefund.objects.create(payment=payment, amount=500, reason="Overtaken")
    held = event("refund.succeeded", amount=500, refund_id=refund.pk, payment_id=payment.pk)

    response = post_webhook(client, held)

    assert response.status_code == 200
    assert response.json()["status"] == WebhookEvent.Status.HELD
    refund.refresh_from_db()
    assert refund.status == PaymentRefund.Status.REQUESTED

    post_webhook(client, payment_event("payment.succeeded", payment))

    refund.refresh_from_db()
    assert refund.status == PaymentRefund.Status.SUCCEEDED
    assert WebhookEvent.objects.get(event_id=held["id"]).status == WebhookEvent.Status.PROCESSED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


def test_refund_of_unknown_refund_is_held(client):
    """A refund.succeeded for a refund we do not know yet is kept, not refused nor applied."""
    response = post_webhook(client, event("refund.succeeded", amount=100, refund_id=424242))
    assert response.status_code == 200
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.HELD


def test_refund_amount_mismatch_is_refused(client):
    """A refund confirmed for another amount than asked: 400 amount_mismatch, nothing stored."""
    payment = place_order().payment
    post_webhook(client, payment_event("payment.succeeded", payment))
    refund = PaymentRefund.objects.create(payment=payment, amount=500, reason="Part")

    response = post_webhook(
        client, event("refund.succeeded", amount=499, refund_id=refund.pk, payment_id=payment.pk)
    )

    assert response.json()["error"]["code"] == "amount_mismatch"
    refund.refresh_from_db()
    assert refund.status == PaymentRefund.Status.REQUESTED
    assert WebhookEvent.objects.count() == 1


def test_payout_events_go_to_the_registered_handler(client):
    """payout.succeeded is held until a handler is registered, then handled by it."""
    from commerce.payments import webhooks

    # rewards registers the real handler at start-up; this test is about registration itself.
    installed = webhooks._handlers.pop("payout.succeeded", None)
    seen = []
    try:
        unhandled = event("payout.succeeded", amount=2000, payout_id=7)
        response = post_webhook(client, unhandled)
        assert response.json()["status"] == WebhookEvent.Status.HELD

        register_webhook_handler("payout.succeeded", lambda note: seen.append(note) or True)
        handled = event("payout.succeeded", amount=2000, payout_id=8)
        response = post_webhook(client, handled)
    finally:
        webhooks._handlers.pop("payout.succeeded", None)
        if installed is not None:
            webhooks._handlers["payout.succeeded"] = installed

    assert response.json()["status"] == WebhookEvent.Status.PROCESSED
    assert [(note.payout_id, note.amount) for note in seen] == [(8, 2000)]


def test_registering_an_unknown_type_is_refused():
    """Only the types of the contract can get handlers."""
    with pytest.raises(ValueError, match="unknown webhook type"):
        register_webhook_handler("payment.teleported", lambda note: True)
