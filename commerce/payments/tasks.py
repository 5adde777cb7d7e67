"""Payment tasks: the sandbox gateway's webhook delivery, and refunds handed to the provider."""

from __future__ import annotations

import logging

import httpx
from celery import shared_task
from django.conf import settings

from commerce.models import SandboxOperation
from commerce.payments import services, webhooks
from commerce.payments.providers import SandboxProvider

logger = logging.getLogger(__name__)

DELIVERY_TIMEOUT_SECONDS = 10
MAX_DELIVERY_ATTEMPTS = 10


@shared_task(bind=True, max_retries=MAX_DELIVERY_ATTEMPTS)
def sandbox_deliver_webhook(self, operation_id: int) -> None:
    """POST the operation's signed webhook to the platform, as the gateway would; retried with
    backoff while the platform is unreachable or answers 5xx (a 4xx is final: logged).

    Run eagerly (the embedded default, one process) with no explicit
    PAYMENT_SANDBOX_WEBHOOK_URL, the same signed bytes go to the same receiver in-process:
    an HTTP call back into a single-process server from inside its own request could not be
    answered.
    """
    operation = SandboxOperation.objects.get(pk=operation_id)
    provider = SandboxProvider()
    raw_body, headers = provider.webhook_request(operation)
    if self.request.is_eager and not settings.PAYMENT_SANDBOX_WEBHOOK_URL:
        webhooks.webhook_receive(provider=provider.name, headers=headers, raw_body=raw_body)
        return
    countdown = min(2**self.request.retries, 600)
    try:
        response = httpx.post(
            provider.webhook_url(),
            content=raw_body,
            headers=headers,
            timeout=DELIVERY_TIMEOUT_SECONDS,
        )
    except httpx.HTTPError as error:
        raise self.retry(exc=error, countdown=countdown) from error
    if response.status_code >= 500:
        raise self.retry(countdown=countdown)
    if response.status_code >= 400:
        logger.error(
            "Sandbox webhook %s refused: %s %s",
            operation.event_id,
            response.status_code,
            response.text[:300],
        )


@shared_task(bind=True, max_retries=MAX_DELIVERY_ATTEMPTS)
def payment_refund_submit(self, refund_id: int) -> None:
    try:
        services.payment_refund_submit(refund_id=refund_id)
    except httpx.HTTPError as error:
        raise self.retry(exc=error, countdown=min(2**self.request.retries, 600)) from error
