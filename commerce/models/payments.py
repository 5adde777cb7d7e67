import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the payer"
    SUCCEEDED = "succeeded", "Paid"
    FAILED = "failed", "Declined"
    # Paid after its orders were cancelled: refunded in full, automatically.
    REFUNDED = "refunded", "Refunded"


class Payment(models.Model):
    """One payment for all the orders of a checkout."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    provider = models.CharField(max_length=20)
    provider_ref = models.CharField(max_length=100, blank=True)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Payment {self.pk}"


class PaymentRefund(models.Model):
    """Money sent back through the provider (a refund decision, or a payment that came late)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SUCCEEDED = "succeeded", "Refunded"
        FAILED = "failed", "Failed"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    provider_ref = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_refund_positive")
        ]


class WebhookEvent(models.Model):
    """A provider's notification, recorded once per event id; rejected ones are never stored."""

    class Status(models.TextChoices):
        PROCESSED = "processed", "Processed"
        # Arrived before what it refers to (a refund before its payment): applied later.
        HELD = "held", "Held until its subject exists"

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")
        ]


class SandboxOperation(models.Model):
    """The sandbox gateway's own book: each capture, decline, refund and payout it made.

    It stands in for the provider's side of the world. The platform's rows (Payment,
    PaymentRefund, payouts) change only when the webhook built from one of these arrives, exactly
    as with a real gateway; the event id of the webhook is fixed here, so a redelivery is the same
    event. A subject is settled at most once (the conditional unique constraint): a double click
    on Approve cannot capture twice.
    """

    class Kind(models.TextChoices):
        PAYMENT = "payment", "Payment"
        REFUND = "refund", "Refund"
        PAYOUT = "payout", "Payout"

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The payment, refund or payout id, by kind (payouts live in another app: no foreign key).
    subject_id = models.PositiveBigIntegerField()
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    amount = models.PositiveIntegerField()
    event_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_id"],
                condition=Q(outcome="succeeded"),
                name="sandbox_settles_once",
            )
        ]

    @property
    def event_type(self) -> str:
        return f"{self.kind}.{self.outcome}"
