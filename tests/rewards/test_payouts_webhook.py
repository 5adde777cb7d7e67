"""The provider's `payout.succeeded` webhook as it arrives over HTTP."""

from __future__ import annotations

import pytest
from django.utils import timezone

from commerce.models import WebhookEvent
from rewards.models import Payout, PayoutStatus
from rewards.payouts import payout_request
from tests.commerce.payment_support import event, post_webhook
from tests.rewards.payout_support import balances, fund, sharer_with_payee

pytestmark = pytest.mark.django_db


def _approved_payout(amount: int = 2000) -> Payout:
    sharer = sharer_with_payee()
    fund(sharer, amount)
    payout = payout_request(user=sharer, amount=amount)
    Payout.objects.filter(pk=payout.pk).update(decided_at=timezone.now())
    return payout


def test_signed_payout_webhook_pays_once_even_when_delivered_twice(client):
    """The same event delivered twice: both answered 200, the money moved once."""
    payout = _approved_payout()
    body = event("payout.succeeded", amount=2000, payout_id=payout.pk)

    assert post_webhook(client, body).status_code == 200
    assert post_webhook(client, body).status_code == 200

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PAID
    assert balances(payout.sharer)["paid_out"] == 2000
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED


def test_webhook_for_an_unknown_payout_is_refused_and_not_recorded(client):
    """A payout id nobody asked for: 404 and no trace, so nothing is marked processed."""
    response = post_webhook(client, event("payout.succeeded", amount=2000, payout_id=987654))

    assert response.status_code == 404
    assert not WebhookEvent.objects.exists()


def test_webhook_with_another_amount_is_refused(client):
    """A paid amount that differs from the payout: refused (409), the payout still waiting."""
    payout = _approved_payout()
    response = post_webhook(client, event("payout.succeeded", amount=1999, payout_id=payout.pk))

    assert response.status_code == 409
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.REQUESTED
    assert balances(payout.sharer)["in_payout"] == 2000
