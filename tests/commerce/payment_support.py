"""Helpers of the payments tests: orders placed through the real checkout, signed webhooks."""

from __future__ import annotations

import json
import time
import uuid

from django.conf import settings
from django.urls import reverse

from backend.money import format_amount
from commerce.cart.services import cart_add, cart_get_or_create
from commerce.checkout.services import CheckoutResult, checkout_place
from commerce.payments import signing
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory

ADDRESS = {
    "name": "Ann Buyer",
    "phone": "+86 138 0000 0000",
    "line1": "1 Fruit Road",
    "city": "Shanghai",
    "postal_code": "200000",
}
WEBHOOK_PATH = "/api/v1/payments/webhooks/sandbox"


def place_order(buyer=None, *, shops: int = 1, price: int = 1250) -> CheckoutResult:
    """A checkout of one unit from each of `shops` shops (no shipping fee), as a buyer does it."""
    buyer = buyer or UserFactory()
    cart = cart_get_or_create(user=buyer)
    for _ in range(shops):
        sku = SKUFactory(price=price, on_hand=5)
        cart_add(cart=cart, sku_id=sku.pk, quantity=1)
    return checkout_place(buyer=buyer, address=ADDRESS)


def event(event_type: str, *, amount: int, **ids) -> dict:
    return {"id": str(uuid.uuid4()), "type": event_type, **ids, "amount": format_amount(amount)}


def payment_event(event_type: str, payment, *, amount: int | None = None) -> dict:
    return event(
        event_type, amount=payment.amount if amount is None else amount, payment_id=payment.pk
    )


def encode(body: dict) -> bytes:
    return json.dumps(body).encode()


def signature(raw_body: bytes, *, at: int | None = None, secret: str | None = None) -> str:
    return signing.sign(
        raw_body,
        secret=secret or settings.PAYMENT_SANDBOX_SECRET,
        timestamp=int(time.time()) if at is None else at,
    )


def post_webhook(client, body: dict | bytes, *, header: str | None = None, **sign_kw):
    """POST a webhook as the sandbox gateway would, signed unless `header` says otherwise."""
    raw_body = body if isinstance(body, bytes) else encode(body)
    header = signature(raw_body, **sign_kw) if header is None else header
    return client.generic(
        "POST",
        WEBHOOK_PATH,
        raw_body,
        content_type="application/json",
        headers={signing.SIGNATURE_HEADER: header} if header else {},
    )


def pay_page_url(payment) -> str:
    return f"{reverse('commerce:pay', args=[payment.pk])}?t={signing.pay_token(payment.pk)}"
