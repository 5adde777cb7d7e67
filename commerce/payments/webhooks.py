"""Receiving providers' webhooks: verify, record once per event id, apply or hold.

`webhook_receive` is the one entry for every delivery, over HTTP (the API view) or in-process
(the sandbox task when tasks run eagerly). In one transaction it inserts the WebhookEvent (the
unique (provider, event_id) makes a repeat wait for the first delivery's commit and then see it)
and runs the event type's handler, which locks what it changes. A handler that raises rolls the
insert back with everything else: a rejected event leaves no trace and may be sent again.

A handler returns True when it applied the event, False when the event's subject is not ready
(a refund confirmed before its payment succeeded): the event is stored HELD, and
`release_held` applies it once the payment moves on. Other apps plug in their own event types
(issue 7's payouts) with `register_webhook_handler`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from backend.errors import ApplicationError, InvalidInput
from backend.money import parse_amount
from commerce.models import Payment, WebhookEvent
from commerce.payments.providers import get_provider

logger = logging.getLogger(__name__)

# Every type a provider may send, with the id it must carry (API.md).
EVENT_SUBJECT = {
    "payment.succeeded": "payment_id",
    "payment.failed": "payment_id",
    "refund.succeeded": "refund_id",
    "payout.succeeded": "payout_id",
}
_ID_FIELDS = ("payment_id", "refund_id", "payout_id")
_EVENT_ID_MAX = WebhookEvent._meta.get_field("event_id").max_length


@dataclass(frozen=True)
class Notification:
    """A verified webhook, its fields checked: ids are positive ints, amount in minor units."""

    provider: str
    id: str
    type: str
    amount: int
    payment_id: int | None = None
    refund_id: int | None = None
    payout_id: int | None = None


Handler = Callable[[Notification], bool]
_handlers: dict[str, Handler] = {}


def register_webhook_handler(event_type: str, handler: Handler) -> None:
    """Apply `event_type` webhooks with `handler` (called in the recording transaction; it locks
    its own subject, raises an ApplicationError to reject, returns False to hold the event).
    Registering again for a type replaces the handler; call it from an AppConfig.ready()."""
    if event_type not in EVENT_SUBJECT:
        raise ValueError(f"unknown webhook type {event_type!r}")
    _handlers[event_type] = handler


@dataclass(frozen=True)
class Receipt:
    event: WebhookEvent
    duplicate: bool


def webhook_receive(*, provider: str, headers: Mapping[str, str], raw_body: bytes) -> Receipt:
    """Verify, record and apply one delivery. Raises BadSignature / InvalidInput /
    AmountMismatch / NotFound (all 4xx) with nothing changed; a repeated event id is answered
    with the first delivery's record."""
    body = get_provider(provider).verify_webhook(headers, raw_body)
    note = parse_notification(provider, body)
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = WebhookEvent.objects.create(
                    provider=provider,
                    event_id=note.id,
                    type=note.type,
                    payload=body,
                    status=WebhookEvent.Status.HELD,
                )
        except IntegrityError:
            existing = WebhookEvent.objects.get(provider=provider, event_id=note.id)
            return Receipt(event=existing, duplicate=True)
        if _apply(note):
            event.status = WebhookEvent.Status.PROCESSED
            event.processed_at = timezone.now()
            event.save(update_fields=["status", "processed_at"])
    return Receipt(event=event, duplicate=False)


def parse_notification(provider: str, body: dict) -> Notification:
    """The webhook body's fields, checked; InvalidInput naming the field otherwise."""
    event_id = body.get("id")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= _EVENT_ID_MAX:
        raise _invalid("id", "The event id must be a non-empty string.")
    event_type = body.get("type")
    if event_type not in EVENT_SUBJECT:
        raise _invalid("type", "Unknown event type.")
    ids = {}
    for field in _ID_FIELDS:
        value = body.get(field)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise _invalid(field, "Ids are positive integers.")
        ids[field] = value
    if EVENT_SUBJECT[event_type] not in ids:
        raise _invalid(EVENT_SUBJECT[event_type], "This event type needs it.")
    try:
        amount = parse_amount(body.get("amount"), allow_zero=False)
    except InvalidInput as error:
        raise _invalid("amount", error.message) from error
    return Notification(provider=provider, id=event_id, type=event_type, amount=amount, **ids)


def release_held(*, payment: Payment) -> int:
    """Apply the held events that name `payment` or one of its refunds, oldest first; returns
    how many were applied. Call inside the transaction that made the payment ready, holding its
    lock. An event still not applicable, or now rejected (logged), stays held."""
    refund_ids = list(payment.refunds.values_list("pk", flat=True))
    held = (
        WebhookEvent.objects.select_for_update()
        .filter(provider=payment.provider, status=WebhookEvent.Status.HELD)
        .filter(Q(payload__payment_id=payment.pk) | Q(payload__refund_id__in=refund_ids))
        .order_by("received_at", "id")
    )
    applied = 0
    for event in held:
        try:
            with transaction.atomic():
                done = _apply(parse_notification(event.provider, event.payload))
        except ApplicationError:
            logger.exception("Held webhook %s %s rejected on release", event.provider, event.pk)
            continue
        if done:
            event.status = WebhookEvent.Status.PROCESSED
            event.processed_at = timezone.now()
            event.save(update_fields=["status", "processed_at"])
            applied += 1
    return applied


def _apply(note: Notification) -> bool:
    handler = _handlers.get(note.type)
    # A known type nobody handles yet (payouts before issue 7) is kept, not lost.
    return handler(note) if handler is not None else False


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"Invalid webhook: {message}", code="invalid", fields={field: message})
