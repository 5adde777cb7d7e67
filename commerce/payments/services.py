"""Payments: creating them, the payer's decision on the hosted page, and applying what the
provider confirms (payment captured or declined, refund settled).

Money only moves on the provider's word: `payment_capture`, `payment_decline` and
`payment_refund_settle` are the webhook handlers' services, and each locks the payment first
(then its orders or refunds), the one lock order of the payments code.

A declined payment may be retried on the same hosted page while it has not expired and its
orders are still waiting (status `failed` → `succeeded`); the orders stay `pending_payment`
until then, or until the payment timeout cancels them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from backend.accounts.models import User
from backend.errors import InvalidInput, NotFound
from backend.money import currency, format_amount
from commerce.errors import AmountMismatch, PaymentClosed
from commerce.models import (
    Order,
    OrderStatus,
    Payment,
    PaymentRefund,
    PaymentStatus,
    SandboxOperation,
)
from commerce.orders import services as order_services
from commerce.payments import webhooks
from commerce.payments.providers import SandboxProvider, get_provider

logger = logging.getLogger(__name__)

# Statuses in which the payer may (still) pay: a declined attempt can be retried.
PAYABLE = (PaymentStatus.PENDING, PaymentStatus.FAILED)

# Called with each PaymentRefund as it settles, inside the settling transaction (payment and
# refund rows locked), so what other apps record about it commits or rolls back with it.
_refund_settled_callbacks: list[Callable[[PaymentRefund], None]] = []


def on_refund_settled(callback: Callable[[PaymentRefund], None]) -> None:
    """Run `callback(payment_refund)` whenever a refund settles; call from AppConfig.ready().
    Registering the same callback twice changes nothing."""
    if callback not in _refund_settled_callbacks:
        _refund_settled_callbacks.append(callback)


def payment_create(*, buyer: User, amount: int, orders: Iterable[Order] = ()) -> Payment:
    """One payment of `amount` for a checkout's orders, with the deployment's provider.

    Call inside the checkout's transaction. `orders` are the checkout's orders: each gets this
    payment (those already saved are saved again; unsaved ones are the caller's to save), and
    their totals must add up to `amount`.
    """
    orders = list(orders)
    if amount <= 0:
        raise InvalidInput("A payment must be for more than zero.", code="invalid_amount")
    if orders and sum(order.total for order in orders) != amount:
        raise InvalidInput("The payment must equal the orders' totals.", code="invalid_amount")
    provider = get_provider()
    with transaction.atomic():
        payment = Payment.objects.create(
            buyer=buyer,
            provider=provider.name,
            amount=amount,
            currency=currency(),
            expires_at=timezone.now() + timedelta(minutes=settings.PAYMENT_TIMEOUT_MINUTES),
        )
        for order in orders:
            order.payment = payment
            if order.pk is not None:
                order.save(update_fields=["payment"])
        provider.create_payment(payment)
    return payment


def payment_authorize(*, payment: Payment, payer: User, approve: bool) -> SandboxOperation:
    """The payer approves or declines on the sandbox's hosted page; the gateway then confirms by
    webhook. Refused (409 payment_closed) once paid, expired, or when an order was cancelled."""
    if payment.buyer_id != payer.pk:
        raise NotFound()
    provider = get_provider(payment.provider)
    if not isinstance(provider, SandboxProvider):
        raise PaymentClosed("This payment is paid on its provider's own page.")
    with transaction.atomic():
        payment = _lock(payment.pk)
        if payment.status not in PAYABLE:
            raise PaymentClosed("This payment is already settled.")
        if payment.expires_at <= timezone.now():
            raise PaymentClosed("This payment has expired.")
        if payment.orders.exclude(status=OrderStatus.PENDING_PAYMENT).exists():
            raise PaymentClosed("An order of this payment was cancelled.")
        return provider.authorize(payment, approve=approve)


def payment_capture(*, payment_id: int, amount: int) -> Payment:
    """The provider took the money (`payment.succeeded`). Pays the still-waiting orders; the
    total of any order cancelled meanwhile goes back to the payer through the provider, so
    money that arrives late is never kept nor lost. Held refund events are applied after."""
    with transaction.atomic():
        payment = _lock(payment_id)
        _check_amount(amount, payment.amount)
        if payment.status not in PAYABLE:
            return payment
        payment.status = PaymentStatus.SUCCEEDED
        payment.paid_at = timezone.now()
        payment.save(update_fields=["status", "paid_at"])
        order_services.orders_mark_paid(payment=payment)
        cancelled = payment.orders.select_for_update().filter(
            status=OrderStatus.CANCELLED, total__gt=0
        )
        for order in cancelled.order_by("id"):
            payment_refund_create(
                payment=payment,
                amount=order.total,
                reason=f"Order {order.pk} was cancelled before its payment arrived.",
            )
        webhooks.release_held(payment=payment)
    return payment


def payment_decline(*, payment_id: int, amount: int) -> Payment:
    """The payer declined (`payment.failed`). A decline arriving after a later successful
    attempt changes nothing."""
    with transaction.atomic():
        payment = _lock(payment_id)
        _check_amount(amount, payment.amount)
        if payment.status == PaymentStatus.PENDING:
            payment.status = PaymentStatus.FAILED
            payment.save(update_fields=["status"])
    return payment


def payment_refund_create(*, payment: Payment, amount: int, reason: str) -> PaymentRefund:
    """Ask the provider to send `amount` of a paid payment back; the refund is `requested`
    until the provider's `refund.succeeded` arrives. Refunds never exceed what was paid."""
    reason = reason.strip()
    if amount <= 0:
        raise InvalidInput("A refund must be for more than zero.", code="invalid_amount")
    if not reason:
        raise InvalidInput("Say why the money goes back.", fields={"reason": "Required."})
    with transaction.atomic():
        payment = _lock(payment.pk)
        if payment.status != PaymentStatus.SUCCEEDED:
            raise PaymentClosed("Only a paid payment can be refunded.")
        refunded = (
            payment.refunds.exclude(status=PaymentRefund.Status.FAILED).aggregate(
                total=Sum("amount")
            )["total"]
            or 0
        )
        if refunded + amount > payment.amount:
            raise InvalidInput(
                f"At most {format_amount(payment.amount - refunded)} can still be refunded.",
                code="refund_exceeds_payment",
            )
        refund = PaymentRefund.objects.create(payment=payment, amount=amount, reason=reason[:200])
        # The provider is called after commit: a rolled-back refund never reaches it.
        transaction.on_commit(partial(_submit_refund_later, refund.pk), robust=True)
        webhooks.release_held(payment=payment)
    return refund


def payment_refund_submit(*, refund_id: int) -> PaymentRefund:
    """Hand a requested refund to its provider (again, if need be: providers are idempotent per
    refund) and keep the provider's reference."""
    refund = PaymentRefund.objects.select_related("payment").get(pk=refund_id)
    if refund.status != PaymentRefund.Status.REQUESTED:
        return refund
    reference = get_provider(refund.payment.provider).refund(refund)
    PaymentRefund.objects.filter(pk=refund.pk).update(provider_ref=reference)
    refund.provider_ref = reference
    return refund


def payment_refund_settle(*, refund_id: int, amount: int, payment_id: int | None) -> bool:
    """The provider sent the refund (`refund.succeeded`). Returns False (hold the event) while
    the refund is unknown or its payment not yet captured. The payment becomes `refunded` once
    its settled refunds add up to all of it."""
    payment_of_refund = (
        PaymentRefund.objects.filter(pk=refund_id).values_list("payment_id", flat=True).first()
    )
    if payment_of_refund is None:
        return False
    if payment_id is not None and payment_id != payment_of_refund:
        raise InvalidInput(
            "The refund belongs to another payment.", fields={"payment_id": "Not this refund's."}
        )
    with transaction.atomic():
        payment = _lock(payment_of_refund)
        refund = PaymentRefund.objects.select_for_update().get(pk=refund_id)
        _check_amount(amount, refund.amount)
        if payment.status not in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
            return False
        if refund.status == PaymentRefund.Status.SUCCEEDED:
            return True
        refund.status = PaymentRefund.Status.SUCCEEDED
        refund.settled_at = timezone.now()
        refund.save(update_fields=["status", "settled_at"])
        for callback in _refund_settled_callbacks:
            callback(refund)
        settled = payment.refunds.filter(status=PaymentRefund.Status.SUCCEEDED).aggregate(
            total=Sum("amount")
        )["total"]
        if settled == payment.amount:
            payment.status = PaymentStatus.REFUNDED
            payment.save(update_fields=["status"])
    return True


def _submit_refund_later(refund_id: int) -> None:
    # tasks imports this module; imported here to keep that one-way.
    from commerce.payments import tasks

    tasks.payment_refund_submit.delay(refund_id)


def _lock(payment_id: int) -> Payment:
    payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
    if payment is None:
        raise NotFound("No such payment.")
    return payment


def _check_amount(amount: int, due: int) -> None:
    if amount != due:
        raise AmountMismatch(
            f"The amount {format_amount(amount)} differs from the {format_amount(due)} due.",
            fields={"amount": f"{format_amount(due)} is due."},
        )
