"""Reading payments: the API's payment object and what the hosted pay page shows."""

from __future__ import annotations

from django.utils import timezone

from backend.accounts.models import User
from backend.errors import NotFound
from backend.money import format_amount
from commerce.models import Order, OrderStatus, Payment, SandboxOperation
from commerce.payments.providers import get_provider
from commerce.payments.services import PAYABLE
from commerce.payments.signing import pay_token_valid


def payment_out(payment: Payment) -> dict:
    """The payment as checkout and the API show it (API.md)."""
    return {
        "id": payment.pk,
        "amount": format_amount(payment.amount),
        "currency": payment.currency,
        "provider": payment.provider,
        "status": payment.status,
        "pay_url": get_provider(payment.provider).pay_url(payment),
    }


def payment_get_for_buyer(*, payment_id: int, buyer: User) -> Payment:
    """The buyer's own payment; anyone else's is NotFound (404), like a missing one."""
    payment = Payment.objects.filter(pk=payment_id, buyer_id=buyer.pk).first()
    if payment is None:
        raise NotFound("No such payment.")
    return payment


def payment_orders(payment: Payment) -> list[Order]:
    return list(payment.orders.select_related("merchant").order_by("id"))


def payment_detail_out(payment: Payment) -> dict:
    """`payment_out` plus its orders and times: GET payments/{id}."""
    return {
        **payment_out(payment),
        "orders": [
            {
                "id": order.pk,
                "merchant": {"id": order.merchant_id, "name": order.merchant.name},
                "total": format_amount(order.total),
                "currency": order.currency,
                "status": order.status,
            }
            for order in payment_orders(payment)
        ],
        "created_at": payment.created_at,
        "expires_at": payment.expires_at,
        "paid_at": payment.paid_at,
    }


def payment_for_pay_page(*, payment_id: int, user: User, token: str | None) -> Payment:
    """The payment behind a hosted pay page link: the link's token must hold and the signed-in
    user must be its buyer; otherwise NotFound, so a guessed link reveals nothing."""
    if not pay_token_valid(payment_id, token):
        raise NotFound("No such payment.")
    return payment_get_for_buyer(payment_id=payment_id, buyer=user)


def payment_payable(payment: Payment, orders: list[Order]) -> bool:
    """Whether the hosted page offers Approve / Decline (services.payment_authorize decides)."""
    return (
        payment.status in PAYABLE
        and payment.expires_at > timezone.now()
        and all(order.status == OrderStatus.PENDING_PAYMENT for order in orders)
    )


def payment_awaiting_confirmation(payment: Payment) -> bool:
    """Approved at the sandbox gateway, its webhook not applied yet (a worker delivers it)."""
    return (
        payment.status in PAYABLE
        and SandboxOperation.objects.filter(
            kind=SandboxOperation.Kind.PAYMENT,
            subject_id=payment.pk,
            outcome=SandboxOperation.Outcome.SUCCEEDED,
        ).exists()
    )
