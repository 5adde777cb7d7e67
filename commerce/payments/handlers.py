"""The payments' own webhook handlers, registered from CommerceConfig.ready()."""

from __future__ import annotations

from commerce.payments import services
from commerce.payments.webhooks import Notification, register_webhook_handler


def on_payment_succeeded(note: Notification) -> bool:
    services.payment_capture(payment_id=note.payment_id, amount=note.amount)
    return True


def on_payment_failed(note: Notification) -> bool:
    services.payment_decline(payment_id=note.payment_id, amount=note.amount)
    return True


def on_refund_succeeded(note: Notification) -> bool:
    return services.payment_refund_settle(
        refund_id=note.refund_id, amount=note.amount, payment_id=note.payment_id
    )


def register() -> None:
    register_webhook_handler("payment.succeeded", on_payment_succeeded)
    register_webhook_handler("payment.failed", on_payment_failed)
    register_webhook_handler("refund.succeeded", on_refund_succeeded)
