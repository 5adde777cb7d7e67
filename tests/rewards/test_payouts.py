"""Payee and payouts services: request, approve (paid by the provider's webhook), reject."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.errors import ApplicationError, InvalidTransition
from rewards.models import CommissionStatus, Payout, PayoutStatus
from rewards.payouts import (
    payee_get,
    payee_set,
    payout_approve,
    payout_reject,
    payout_request,
    payout_settle,
)
from tests.factories import UserFactory
from tests.rewards.payout_support import balances, confirmed_commission, fund, sharer_with_payee

pytestmark = pytest.mark.django_db


def _code(excinfo) -> str:
    return excinfo.value.code


def _approve_and_pay(payout: Payout, operator) -> Payout:
    """Approve, and let the sandbox's payout.succeeded webhook arrive (it is sent on commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        payout_approve(payout=payout, operator=operator)
    payout.refresh_from_db()
    return payout


def test_payee_set_creates_then_replaces_and_audits():
    """Setting the payee twice keeps one row with the last details; each change is audited."""
    user = UserFactory()
    payee_set(user=user, method="alipay", account="a@example.com", real_name="Ann")
    payee_set(user=user, method="bank", account=" 6222 0000 1111 ", real_name="Ann Lee")

    payee = payee_get(user=user)
    assert (payee.method, payee.account, payee.real_name) == ("bank", "6222 0000 1111", "Ann Lee")
    audits = AuditEntry.objects.filter(action="payee.set", target_id=str(payee.pk))
    assert audits.count() == 2
    assert audits.first().before["account"] == "a@example.com"


def test_payee_set_refuses_bad_details():
    """An unknown method, an empty account or name is refused, naming each field."""
    with pytest.raises(ApplicationError) as excinfo:
        payee_set(user=UserFactory(), method="cash", account=" ", real_name="")
    assert set(excinfo.value.fields) == {"method", "account", "real_name"}


def test_payout_without_payee_is_refused():
    """No payee: 400 payee_missing, and the available balance stays where it was."""
    sharer = UserFactory()
    fund(sharer, 5000)
    with pytest.raises(ApplicationError) as excinfo:
        payout_request(user=sharer, amount=2000)
    assert _code(excinfo) == "payee_missing"
    assert balances(sharer)["available"] == 5000


def test_payout_below_minimum_is_refused(settings):
    """Under REWARDS_PAYOUT_MINIMUM (10.00 by default): below_minimum; exactly it is fine."""
    assert settings.REWARDS_PAYOUT_MINIMUM == 1000
    sharer = sharer_with_payee()
    fund(sharer, 5000)
    with pytest.raises(ApplicationError) as excinfo:
        payout_request(user=sharer, amount=999)
    assert _code(excinfo) == "below_minimum"
    assert payout_request(user=sharer, amount=1000).amount == 1000


def test_payout_above_available_is_refused_and_leaves_nothing():
    """More than available: insufficient_balance, no payout row, no money moved."""
    sharer = sharer_with_payee()
    fund(sharer, 1500)
    with pytest.raises(ApplicationError) as excinfo:
        payout_request(user=sharer, amount=1501)
    assert _code(excinfo) == "insufficient_balance"
    assert not Payout.objects.exists()
    assert balances(sharer) == {"pending": 0, "available": 1500, "in_payout": 0, "paid_out": 0}


def test_payout_request_moves_available_to_in_payout_and_keeps_the_payee():
    """A request moves the amount to in-payout; a later payee change does not redirect it."""
    sharer = sharer_with_payee()
    fund(sharer, 3000)

    payout = payout_request(user=sharer, amount=1200)
    payee_set(user=sharer, method="bank", account="999", real_name="Someone Else")

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.REQUESTED
    assert (payout.method, payout.account) == ("alipay", "ann@example.com")
    assert balances(sharer) == {"pending": 0, "available": 1800, "in_payout": 1200, "paid_out": 0}


def test_approved_payout_is_paid_by_the_provider_webhook():
    """Approve → the sandbox pays and its webhook makes the payout paid: in-payout → paid out;
    the decision is audited with the operator."""
    sharer = sharer_with_payee()
    operator = UserFactory(is_staff=True)
    fund(sharer, 2500)
    payout = payout_request(user=sharer, amount=2000)

    payout = _approve_and_pay(payout, operator)

    assert payout.status == PayoutStatus.PAID
    assert payout.decided_by == operator
    assert payout.provider_reference
    assert balances(sharer) == {"pending": 0, "available": 500, "in_payout": 0, "paid_out": 2000}
    audit = AuditEntry.objects.get(action="payout.approve", target_id=str(payout.pk))
    assert audit.actor == operator
    assert audit.before["decided_at"] is None


def test_paid_payout_covers_commissions_oldest_first():
    """Commissions of 12.00, 13.00, 5.00 (oldest first) and a payout of 20.00: only the oldest
    is fully covered and becomes paid; the 13.00 is not skipped for the 5.00. A second payout of
    10.00 (30.00 paid out) covers the other two."""
    sharer = sharer_with_payee()
    operator = UserFactory(is_staff=True)
    now = timezone.now()
    first = confirmed_commission(sharer, 1200, confirmed_at=now - timedelta(days=3))
    second = confirmed_commission(sharer, 1300, confirmed_at=now - timedelta(days=2))
    third = confirmed_commission(sharer, 500, confirmed_at=now - timedelta(days=1))

    payout = _approve_and_pay(payout_request(user=sharer, amount=2000), operator)
    for commission in (first, second, third):
        commission.refresh_from_db()
    assert [c.status for c in (first, second, third)] == ["paid", "confirmed", "confirmed"]
    assert first.payout == payout

    later = _approve_and_pay(payout_request(user=sharer, amount=1000), operator)
    for commission in (second, third):
        commission.refresh_from_db()
        assert commission.status == CommissionStatus.PAID
        assert commission.payout == later
    assert balances(sharer)["paid_out"] == 3000


def test_rejected_payout_returns_the_money_and_is_audited():
    """Reject: the amount goes back to available, the reason is kept, the decision audited."""
    sharer = sharer_with_payee()
    operator = UserFactory(is_staff=True)
    fund(sharer, 2000)
    payout = payout_request(user=sharer, amount=2000)

    payout = payout_reject(payout=payout, operator=operator, reason="Name does not match")

    assert payout.status == PayoutStatus.REJECTED
    assert payout.reject_reason == "Name does not match"
    assert balances(sharer) == {"pending": 0, "available": 2000, "in_payout": 0, "paid_out": 0}
    assert AuditEntry.objects.filter(action="payout.reject", actor=operator).count() == 1


def test_reject_needs_a_reason():
    """An empty reason is refused and the payout stays requested."""
    sharer = sharer_with_payee()
    fund(sharer, 2000)
    payout = payout_request(user=sharer, amount=2000)
    with pytest.raises(ApplicationError) as excinfo:
        payout_reject(payout=payout, operator=UserFactory(is_staff=True), reason="  ")
    assert "reason" in excinfo.value.fields
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.REQUESTED


def test_a_decided_payout_cannot_be_decided_again():
    """After approval neither approve nor reject applies; after rejection neither does."""
    sharer = sharer_with_payee()
    operator = UserFactory(is_staff=True)
    fund(sharer, 4000)
    approved = _approve_and_pay(payout_request(user=sharer, amount=2000), operator)
    rejected = payout_reject(
        payout=payout_request(user=sharer, amount=2000), operator=operator, reason="No"
    )

    for payout in (approved, rejected):
        with pytest.raises(InvalidTransition):
            payout_approve(payout=payout, operator=operator)
        with pytest.raises(InvalidTransition):
            payout_reject(payout=payout, operator=operator, reason="Again")
    assert balances(sharer) == {"pending": 0, "available": 2000, "in_payout": 0, "paid_out": 2000}


def test_settling_twice_pays_once():
    """A second `payout.succeeded` for a paid payout (a new event id) moves nothing more."""
    sharer = sharer_with_payee()
    fund(sharer, 3000)
    payout = _approve_and_pay(payout_request(user=sharer, amount=3000), UserFactory())

    payout_settle(payout_id=payout.pk, amount=3000)

    assert balances(sharer) == {"pending": 0, "available": 0, "in_payout": 0, "paid_out": 3000}


def test_settling_an_unapproved_or_wrong_amount_payout_is_refused():
    """The provider cannot pay a payout no operator approved, nor pay a different amount."""
    sharer = sharer_with_payee()
    fund(sharer, 3000)
    payout = payout_request(user=sharer, amount=3000)
    with pytest.raises(ApplicationError) as excinfo:
        payout_settle(payout_id=payout.pk, amount=3000)
    assert _code(excinfo) == "payout_not_approved"

    Payout.objects.filter(pk=payout.pk).update(decided_at=timezone.now())
    with pytest.raises(ApplicationError) as excinfo:
        payout_settle(payout_id=payout.pk, amount=2999)
    assert _code(excinfo) == "amount_mismatch"
    assert balances(sharer)["in_payout"] == 3000
