"""Operators' admin: approve and reject payouts, and the audit export (CSV)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from backend.audit.models import AuditEntry
from rewards.models import PayoutStatus
from rewards.payouts import payout_request
from tests.factories import UserFactory
from tests.rewards.payout_support import balances, confirmed_commission, fund, sharer_with_payee

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:rewards_payout_changelist"
EXPORT = "admin:rewards_payout_audit_export"


@pytest.fixture
def operator(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _requested(amount: int = 2000):
    sharer = sharer_with_payee()
    fund(sharer, amount)
    return payout_request(user=sharer, amount=amount)


def test_approve_action_pays_the_payout(client, operator):
    """The approve action: the provider pays, the webhook lands, the payout is paid."""
    payout = _requested()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse(CHANGELIST), {"action": "approve", ACTION_CHECKBOX_NAME: [payout.pk]}
        )

    assert response.status_code == 302
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PAID
    assert payout.decided_by == operator
    assert balances(payout.sharer)["paid_out"] == 2000


def test_reject_action_asks_for_a_reason_then_rejects(client, operator):
    """The reject action first shows a form; sent with a reason it rejects and audits."""
    payout = _requested()
    selected = {"action": "reject", ACTION_CHECKBOX_NAME: [payout.pk]}

    form = client.post(reverse(CHANGELIST), selected)
    assert form.status_code == 200
    assert b'name="reason"' in form.content
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.REQUESTED

    done = client.post(reverse(CHANGELIST), {**selected, "apply": "1", "reason": "Wrong name"})

    assert done.status_code == 302
    payout.refresh_from_db()
    assert (payout.status, payout.reject_reason) == (PayoutStatus.REJECTED, "Wrong name")
    assert balances(payout.sharer)["available"] == 2000
    assert AuditEntry.objects.filter(action="payout.reject", actor=operator).exists()


def test_payouts_admin_is_for_staff_only(client):
    """A signed-in non-staff user is sent to the admin's login page, export included."""
    client.force_login(UserFactory())
    for url in (reverse(CHANGELIST), reverse(EXPORT)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def _export(client, kind: str, start, end) -> list[list[str]]:
    response = client.get(
        reverse(EXPORT), {"kind": kind, "start": start.isoformat(), "end": end.isoformat()}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_commissions_of_a_period(client, operator):
    """Commissions accrued within the period are exported with amounts as decimals; one from
    before the period is not."""
    sharer = sharer_with_payee()
    now = timezone.now()
    inside = confirmed_commission(sharer, 1234, confirmed_at=now)
    confirmed_commission(sharer, 500, confirmed_at=now - timedelta(days=40))
    today = timezone.localdate(now, timezone=_business_zone())

    rows = _export(client, "commissions", today - timedelta(days=1), today)

    header, *data = rows
    assert header[0] == "id"
    assert [row[0] for row in data] == [str(inside.pk)]
    assert data[0][header.index("amount")] == "12.34"
    assert data[0][header.index("status")] == "confirmed"


def test_export_ledger_entries_of_a_period(client, operator):
    """Every entry posted in the period, each with its transaction key and account kind; the
    exported amounts sum to zero as the ledger's do."""
    _requested(3000)
    today = timezone.localdate(timezone.now(), timezone=_business_zone())

    header, *data = _export(client, "entries", today, today)

    kinds = {row[header.index("account_kind")] for row in data}
    assert {"sharer_available", "sharer_in_payout", "merchant_payable"} <= kinds
    keys = {row[header.index("idempotency_key")] for row in data}
    assert any(key.startswith("payout") for key in keys)
    total = sum(int(row[header.index("amount")].replace(".", "")) for row in data)
    assert total == 0


def test_export_refuses_a_reversed_period(client, operator):
    """An end before the start shows the form again with the error, not a CSV."""
    today = timezone.localdate()
    response = client.get(
        reverse(EXPORT),
        {"kind": "entries", "start": today.isoformat(), "end": (today - timedelta(1)).isoformat()},
    )
    assert response.status_code == 200
    assert b"ends before it starts" in response.content


def _business_zone() -> ZoneInfo:
    return ZoneInfo(settings.BUSINESS_TIME_ZONE)


def test_staff_who_may_only_view_payouts_cannot_decide(client):
    """Deciding needs the change permission: a view-only operator's approve does nothing."""
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_payout"))
    client.force_login(viewer)
    payout = _requested()

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse(CHANGELIST), {"action": "approve", ACTION_CHECKBOX_NAME: [payout.pk]})

    payout.refresh_from_db()
    assert (payout.status, payout.decided_at) == (PayoutStatus.REQUESTED, None)
    assert client.get(reverse(CHANGELIST)).status_code == 200
