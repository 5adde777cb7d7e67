"""Webhook deliveries racing each other, on PostgreSQL with real threads."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from commerce.models import OrderEvent, OrderStatus, PaymentStatus, WebhookEvent
from tests.commerce.payment_support import payment_event, place_order, post_webhook

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services("postgres")]


def _deliver_concurrently(bodies: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = []

    def deliver(body: dict) -> None:
        try:
            barrier.wait()
            statuses.append(post_webhook(Client(), body).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_same_event_five_times_concurrently_has_one_effect():
    """5 simultaneous deliveries of one event: five 200s, one WebhookEvent, orders paid once."""
    result = place_order(shops=2)
    body = payment_event("payment.succeeded", result.payment)

    statuses = _deliver_concurrently([body] * 5)

    assert statuses == [200] * 5
    assert WebhookEvent.objects.count() == 1
    result.payment.refresh_from_db()
    assert result.payment.status == PaymentStatus.SUCCEEDED
    assert OrderEvent.objects.filter(to_status=OrderStatus.PAID).count() == 2


def test_distinct_success_events_for_one_payment_pay_once():
    """Five different event ids confirming one payment (a gateway's redeliveries under new ids):
    all accepted, the orders paid exactly once, no refund made."""
    result = place_order()
    bodies = [payment_event("payment.succeeded", result.payment) for _ in range(5)]

    statuses = _deliver_concurrently(bodies)

    assert statuses == [200] * 5
    assert WebhookEvent.objects.count() == 5
    assert OrderEvent.objects.filter(to_status=OrderStatus.PAID).count() == 1
    assert not result.payment.refunds.exists()
