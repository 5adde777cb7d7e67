"""Payment providers: the interface the shop pays through, and the sandbox gateway.

A provider creates a payment on its side, names the page where the payer pays, verifies the
webhooks it sends, refunds and pays out. It never changes the platform's payment rows itself:
every outcome reaches the platform as a signed webhook (commerce.payments.webhooks), whatever the
provider, so there is one path for money coming in.

The `sandbox` provider is a real local gateway: our own hosted page (commerce:pay) where the
payer approves or declines, an own book of what it did (SandboxOperation), and webhooks signed as
API.md says, delivered over HTTP by a task (or in-process when tasks run eagerly).
"""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from functools import partial

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.urls import reverse

from backend.errors import InvalidInput
from backend.money import format_amount
from commerce.errors import PaymentClosed
from commerce.models import Payment, PaymentRefund, SandboxOperation
from commerce.payments import signing


class Provider(ABC):
    name: str

    @abstractmethod
    def create_payment(self, payment: Payment) -> None:
        """Open the payment on the provider's side; sets `payment.provider_ref` (saved)."""

    @abstractmethod
    def pay_url(self, payment: Payment) -> str:
        """The absolute URL of the page where the payer pays."""

    @abstractmethod
    def verify_webhook(self, headers: Mapping[str, str], raw_body: bytes) -> dict:
        """The webhook's JSON object once its signature holds; BadSignature (400) otherwise,
        InvalidInput (400 malformed_request) for a signed body that is not a JSON object."""

    @abstractmethod
    def refund(self, refund: PaymentRefund) -> str:
        """Send `refund.amount` back to the payer; returns the provider's reference. The outcome
        arrives as a `refund.succeeded` webhook. Safe to call again for the same refund."""

    @abstractmethod
    def payout(self, *, payout_id: int, amount: int, payee: str) -> str:
        """Pay `amount` to `payee` (the account the payout goes to); returns the provider's
        reference. The outcome arrives as a `payout.succeeded` webhook naming `payout_id`.
        Safe to call again for the same payout."""


class SandboxProvider(Provider):
    name = "sandbox"

    def create_payment(self, payment: Payment) -> None:
        payment.provider_ref = f"sbx_pay_{payment.pk}"
        payment.save(update_fields=["provider_ref"])

    def pay_url(self, payment: Payment) -> str:
        path = reverse("commerce:pay", args=[payment.pk])
        return f"{settings.SITE_URL.rstrip('/')}{path}?t={signing.pay_token(payment.pk)}"

    def verify_webhook(self, headers: Mapping[str, str], raw_body: bytes) -> dict:
        signing.verify(
            headers.get(signing.SIGNATURE_HEADER),
            raw_body,
            secret=settings.PAYMENT_SANDBOX_SECRET,
            now=int(time.time()),
        )
        try:
            body = json.loads(raw_body, parse_constant=_refuse_constant)
        except ValueError as error:
            raise _malformed() from error
        if not isinstance(body, dict):
            raise _malformed()
        return body

    def refund(self, refund: PaymentRefund) -> str:
        operation = self._settle(
            kind=SandboxOperation.Kind.REFUND,
            subject_id=refund.pk,
            payment=refund.payment,
            amount=refund.amount,
        )
        return f"sbx_op_{operation.event_id}"

    def payout(self, *, payout_id: int, amount: int, payee: str) -> str:
        if not payee.strip():
            raise InvalidInput("A payout needs a payee account.", code="payee_missing")
        operation = self._settle(
            kind=SandboxOperation.Kind.PAYOUT, subject_id=payout_id, payment=None, amount=amount
        )
        return f"sbx_op_{operation.event_id}"

    def authorize(self, payment: Payment, *, approve: bool) -> SandboxOperation:
        """The payer's decision on the hosted page. Call while holding a lock on the payment.

        Raises PaymentClosed when the gateway already captured this payment (a second click).
        """
        captured = SandboxOperation.objects.filter(
            kind=SandboxOperation.Kind.PAYMENT,
            subject_id=payment.pk,
            outcome=SandboxOperation.Outcome.SUCCEEDED,
        ).exists()
        if captured:
            raise PaymentClosed("This payment was already approved.")
        outcome = SandboxOperation.Outcome.SUCCEEDED if approve else SandboxOperation.Outcome.FAILED
        operation = SandboxOperation.objects.create(
            kind=SandboxOperation.Kind.PAYMENT,
            subject_id=payment.pk,
            payment=payment,
            outcome=outcome,
            amount=payment.amount,
        )
        _queue_delivery(operation)
        return operation

    def webhook_request(self, operation: SandboxOperation) -> tuple[bytes, dict[str, str]]:
        """The webhook for `operation` as bytes and headers, signed now (each delivery attempt
        is signed afresh, so a retry stays within the tolerance; its event id never changes)."""
        body = {"id": str(operation.event_id), "type": operation.event_type}
        if operation.payment_id is not None:
            body["payment_id"] = operation.payment_id
        if operation.kind == SandboxOperation.Kind.REFUND:
            body["refund_id"] = operation.subject_id
        if operation.kind == SandboxOperation.Kind.PAYOUT:
            body["payout_id"] = operation.subject_id
        body["amount"] = format_amount(operation.amount)
        raw_body = json.dumps(body, separators=(",", ":")).encode()
        signature = signing.sign(
            raw_body, secret=settings.PAYMENT_SANDBOX_SECRET, timestamp=int(time.time())
        )
        return raw_body, {signing.SIGNATURE_HEADER: signature, "Content-Type": "application/json"}

    def webhook_url(self) -> str:
        return settings.PAYMENT_SANDBOX_WEBHOOK_URL or (
            settings.SITE_URL.rstrip("/") + reverse("api-payment-webhook-sandbox")
        )

    def _settle(
        self, *, kind: str, subject_id: int, payment: Payment | None, amount: int
    ) -> SandboxOperation:
        """Settle at once and confirm by webhook; a repeated call re-sends the same event."""
        try:
            with transaction.atomic():
                operation = SandboxOperation.objects.create(
                    kind=kind,
                    subject_id=subject_id,
                    payment=payment,
                    outcome=SandboxOperation.Outcome.SUCCEEDED,
                    amount=amount,
                )
        except IntegrityError:
            operation = SandboxOperation.objects.get(
                kind=kind, subject_id=subject_id, outcome=SandboxOperation.Outcome.SUCCEEDED
            )
        _queue_delivery(operation)
        return operation


def _queue_delivery(operation: SandboxOperation) -> None:
    # tasks imports this module to build the request; imported here to keep that one-way.
    from commerce.payments import tasks

    transaction.on_commit(partial(tasks.sandbox_deliver_webhook.delay, operation.pk), robust=True)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _malformed() -> InvalidInput:
    return InvalidInput("The webhook body is not a JSON object.", code="malformed_request")


PROVIDERS: dict[str, type[Provider]] = {SandboxProvider.name: SandboxProvider}


def get_provider(name: str | None = None) -> Provider:
    """The provider called `name`, by default the deployment's (settings.PAYMENT_PROVIDER)."""
    name = name or settings.PAYMENT_PROVIDER
    try:
        return PROVIDERS[name]()
    except KeyError:
        raise ImproperlyConfigured(f"Unknown payment provider {name!r}.") from None
