"""The sandbox gateway: hosted pay page, its webhooks over real HTTP, refunds and payouts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.errors import InvalidInput
from commerce.errors import PaymentClosed
from commerce.models import (
    OrderStatus,
    Payment,
    PaymentRefund,
    PaymentStatus,
    SandboxOperation,
    WebhookEvent,
)
from commerce.orders.services import order_cancel
from commerce.payments import services, webhooks
from commerce.payments.providers import get_provider
from tests.commerce.payment_support import WEBHOOK_PATH, pay_page_url, place_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_pay_page_shows_amount_and_orders(client):
    """The buyer sees the amount, each shop's order and the Approve / Decline buttons."""
    result = place_order(shops=2)
    page = _signed_in(client, result.payment.buyer).get(pay_page_url(result.payment))

    assert page.status_code == 200
    html = page.content.decode()
    assert "25.00" in html
    for order in result.orders:
        assert order.merchant.name in html
    assert 'value="approve"' in html
    assert 'value="decline"' in html


def test_pay_page_needs_sign_in(client):
    """Signed out: redirected to sign in, coming back to the same link."""
    payment = place_order().payment
    response = client.get(pay_page_url(payment))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_pay_page_of_another_buyer_is_404(client):
    """Someone else, even holding the link, gets 404 and cannot act."""
    payment = place_order().payment
    client = _signed_in(client, UserFactory())
    assert client.get(pay_page_url(payment)).status_code == 404
    assert client.post(pay_page_url(payment), {"decision": "approve"}).status_code == 404
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


@pytest.mark.parametrize("token", ["", "0" * 64, "é"])
def test_pay_page_without_the_right_token_is_404(client, token):
    """The buyer without the link's token (or a forged one) gets 404."""
    payment = place_order().payment
    client = _signed_in(client, payment.buyer)
    assert client.get(f"/pay/{payment.pk}/?t={token}").status_code == 404


def test_approve_pays_payment_and_orders(client):
    """Approve on the hosted page: the gateway's webhook pays the payment and its orders."""
    result = place_order(shops=2)
    client = _signed_in(client, result.payment.buyer)

    response = client.post(pay_page_url(result.payment), {"decision": "approve"})

    assert response.status_code == 302
    payment = Payment.objects.get(pk=result.payment.pk)
    assert payment.status == PaymentStatus.SUCCEEDED
    assert set(payment.orders.values_list("status", flat=True)) == {OrderStatus.PAID}
    assert WebhookEvent.objects.get().type == "payment.succeeded"
    page = client.get(response["Location"]).content.decode()
    assert 'value="approve"' not in page


def test_decline_then_retry_on_same_page(client):
    """Decline fails the payment but the page offers another try, which pays."""
    payment = place_order().payment
    client = _signed_in(client, payment.buyer)

    client.post(pay_page_url(payment), {"decision": "decline"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert 'value="approve"' in client.get(pay_page_url(payment)).content.decode()

    client.post(pay_page_url(payment), {"decision": "approve"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


def test_second_approval_captures_once(client):
    """Approving twice: the gateway captures once; the second click is refused politely."""
    payment = place_order().payment
    client = _signed_in(client, payment.buyer)
    client.post(pay_page_url(payment), {"decision": "approve"})

    response = client.post(pay_page_url(payment), {"decision": "approve"}, follow=True)

    assert response.status_code == 200
    assert SandboxOperation.objects.filter(kind="payment", outcome="succeeded").count() == 1
    assert WebhookEvent.objects.count() == 1


def test_expired_payment_cannot_be_approved():
    """Past its expiry the gateway refuses the approval (409 payment_closed)."""
    payment = place_order().payment
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    payment.refresh_from_db()

    with pytest.raises(PaymentClosed):
        services.payment_authorize(payment=payment, payer=payment.buyer, approve=True)
    assert not SandboxOperation.objects.exists()


def test_payment_with_a_cancelled_order_cannot_be_approved():
    """After the buyer cancelled an order, the page no longer takes the money."""
    result = place_order()
    order_cancel(order=result.orders[0], actor=result.payment.buyer, reason="No longer needed.")

    with pytest.raises(PaymentClosed):
        services.payment_authorize(payment=result.payment, payer=result.payment.buyer, approve=True)


def test_webhook_is_delivered_over_real_http(live_server, settings):
    """With PAYMENT_SANDBOX_WEBHOOK_URL set, the task POSTs the signed webhook (httpx) to a
    running server, which verifies and applies it: the payment becomes succeeded."""
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = live_server.url + WEBHOOK_PATH
    result = place_order()

    services.payment_authorize(payment=result.payment, payer=result.payment.buyer, approve=True)

    payment = Payment.objects.get(pk=result.payment.pk)
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.orders.get().status == OrderStatus.PAID
    operation = SandboxOperation.objects.get()
    assert WebhookEvent.objects.get().event_id == str(operation.event_id)


def test_refund_succeeds_at_once_and_is_confirmed_by_webhook(client):
    """A refund asked of a paid payment is settled by the gateway and confirmed by its
    refund.succeeded webhook; a full refund leaves the payment `refunded`."""
    payment = place_order().payment
    _signed_in(client, payment.buyer).post(pay_page_url(payment), {"decision": "approve"})
    payment.refresh_from_db()

    part = services.payment_refund_create(payment=payment, amount=250, reason="Bruised fruit")
    rest = services.payment_refund_create(payment=payment, amount=1000, reason="Rest")

    assert set(PaymentRefund.objects.values_list("status", flat=True)) == {"succeeded"}
    assert {part.pk, rest.pk} == set(PaymentRefund.objects.values_list("pk", flat=True))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert WebhookEvent.objects.filter(type="refund.succeeded").count() == 2


def test_refund_beyond_payment_is_refused(client):
    """Refunds never add up to more than was paid."""
    payment = place_order().payment
    _signed_in(client, payment.buyer).post(pay_page_url(payment), {"decision": "approve"})
    payment.refresh_from_db()

    with pytest.raises(InvalidInput) as error:
        services.payment_refund_create(payment=payment, amount=1251, reason="Too much")
    assert error.value.code == "refund_exceeds_payment"
    assert not PaymentRefund.objects.exists()


def test_payout_is_confirmed_to_the_registered_handler():
    """provider.payout settles at once and its payout.succeeded webhook reaches the handler
    registered for it (issue 7 plugs its payouts in this way)."""
    seen = []
    webhooks.register_webhook_handler("payout.succeeded", lambda note: seen.append(note) or True)
    try:
        reference = get_provider().payout(payout_id=31, amount=5000, payee="alipay:ann@example.com")
        get_provider().payout(payout_id=31, amount=5000, payee="alipay:ann@example.com")
    finally:
        webhooks._handlers.pop("payout.succeeded")

    assert reference.startswith("sbx_op_")
    assert [(note.payout_id, note.amount) for note in seen] == [(31, 5000)]
    assert SandboxOperation.objects.filter(kind="payout").count() == 1
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED
