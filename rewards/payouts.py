"""Payouts: where a sharer's money goes (the payee) and taking it out of the platform.

The life of a payout (API.md "Rewards"): the sharer asks for part or all of the available
balance, which moves it to in-payout at once; an operator approves (the provider is told to pay
and its `payout.succeeded` webhook makes it paid: in-payout → paid out, and the commissions it
covers become `paid`) or rejects (in-payout → available). A payout stays `requested` between
approval and the provider's webhook; `decided_at` tells an approved one from a waiting one.

Balances are the ledger's. "Never more than the balance" is the ledger's own guarantee: the
posting checks the non-negative available account under its row lock, so concurrent requests
queue on that lock and only those that still fit go through.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from backend.audit.services import audit_record
from backend.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from backend.ledger.errors import InsufficientFunds
from backend.ledger.models import AccountKind
from backend.ledger.selectors import owner_balances
from backend.money import currency, format_amount
from commerce.payments.providers import get_provider
from commerce.payments.webhooks import Notification
from rewards import postings
from rewards.models import Commission, CommissionStatus, Payee, Payout, PayoutStatus

_ACCOUNT_MAX = Payee._meta.get_field("account").max_length
_NAME_MAX = Payee._meta.get_field("real_name").max_length
_REASON_MAX = Payout._meta.get_field("reject_reason").max_length


def payee_get(*, user: AbstractBaseUser) -> Payee | None:
    """The user's payee, or None before they set one."""
    return Payee.objects.filter(user=user).first()


@transaction.atomic
def payee_set(*, user: AbstractBaseUser, method: str, account: str, real_name: str) -> Payee:
    """Set (or replace) where the user's payouts go; audited, as it decides where money goes.

    Payouts already asked for keep the payee they were asked with."""
    account = (account or "").strip()
    real_name = (real_name or "").strip()
    fields = {}
    if method not in Payee.Method.values:
        fields["method"] = ["Choose alipay or bank."]
    if not account or len(account) > _ACCOUNT_MAX:
        fields["account"] = [f"Enter the account (at most {_ACCOUNT_MAX} characters)."]
    if not real_name or len(real_name) > _NAME_MAX:
        fields["real_name"] = [f"Enter the account holder's name (at most {_NAME_MAX} characters)."]
    if fields:
        raise InvalidInput("Check the payee details.", code="invalid", fields=fields)
    payee = Payee.objects.select_for_update().filter(user=user).first()
    before = _payee_values(payee)
    if payee is None:
        payee = Payee(user=user)
    payee.method, payee.account, payee.real_name = method, account, real_name
    payee.save()
    audit_record(
        actor=user, action="payee.set", target=payee, before=before, after=_payee_values(payee)
    )
    return payee


def _payee_values(payee: Payee | None) -> dict:
    if payee is None:
        return {}
    return {"method": payee.method, "account": payee.account, "real_name": payee.real_name}


def payout_minimum() -> int:
    """The smallest payout in minor units (settings.REWARDS_PAYOUT_MINIMUM, read at call time)."""
    return settings.REWARDS_PAYOUT_MINIMUM


def payout_request(*, user: AbstractBaseUser, amount: int) -> Payout:
    """Ask to be paid `amount` minor units of the available balance; it moves to in-payout.

    400 `payee_missing` without a payee, `below_minimum` under the minimum, and
    `insufficient_balance` beyond the available balance, checked by the ledger under the
    account's lock, so any number of concurrent requests never take more than there is.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidInput(
            "Enter an amount.", code="invalid_amount", fields={"amount": ["Enter an amount."]}
        )
    payee = payee_get(user=user)
    if payee is None:
        raise InvalidInput("Set where payouts go before asking for one.", code="payee_missing")
    minimum = payout_minimum()
    if amount < minimum:
        message = f"The smallest payout is {format_amount(minimum)}."
        raise InvalidInput(message, code="below_minimum", fields={"amount": [message]})
    # A quick refusal from the cached balance; the posting below re-checks under the lock.
    available = owner_balances(owner_id=user.pk, kinds=[AccountKind.SHARER_AVAILABLE])
    if amount > available[AccountKind.SHARER_AVAILABLE]:
        raise _insufficient()
    try:
        with transaction.atomic():
            payout = Payout.objects.create(
                sharer=user,
                amount=amount,
                currency=currency(),
                method=payee.method,
                account=payee.account,
                real_name=payee.real_name,
            )
            postings.payout_request_post(payout=payout)
    except InsufficientFunds as error:
        raise _insufficient() from error
    return payout


def _insufficient() -> InvalidInput:
    message = "The amount is more than your available balance."
    return InvalidInput(message, code="insufficient_balance", fields={"amount": [message]})


def payouts_of(*, user: AbstractBaseUser) -> QuerySet[Payout]:
    """The user's payouts, newest first."""
    return Payout.objects.filter(sharer=user).order_by("-requested_at", "-id")


def _locked(payout: Payout) -> Payout:
    return Payout.objects.select_for_update().get(pk=payout.pk)


def _waiting(payout: Payout) -> None:
    """Only a payout nobody has decided on yet can be approved or rejected."""
    if payout.status != PayoutStatus.REQUESTED or payout.decided_at is not None:
        raise InvalidTransition("This payout was already decided.")


@transaction.atomic
def payout_approve(*, payout: Payout, operator: AbstractBaseUser) -> Payout:
    """Approve a requested payout: the provider is told to pay it. The payout becomes `paid`
    when the provider's `payout.succeeded` webhook arrives (`payout_settle`). Audited."""
    payout = _locked(payout)
    _waiting(payout)
    before = _decision_values(payout)
    payout.decided_at = timezone.now()
    payout.decided_by = operator
    payout.provider_reference = get_provider().payout(
        payout_id=payout.pk, amount=payout.amount, payee=payout.account
    )
    payout.save(update_fields=["decided_at", "decided_by", "provider_reference"])
    audit_record(
        actor=operator,
        action="payout.approve",
        target=payout,
        before=before,
        after=_decision_values(payout),
    )
    return payout


@transaction.atomic
def payout_reject(*, payout: Payout, operator: AbstractBaseUser, reason: str) -> Payout:
    """Reject a requested payout: its money goes back to available. Audited."""
    reason = (reason or "").strip()
    if not reason or len(reason) > _REASON_MAX:
        message = f"Give a reason (at most {_REASON_MAX} characters)."
        raise InvalidInput(message, code="invalid", fields={"reason": [message]})
    payout = _locked(payout)
    _waiting(payout)
    before = _decision_values(payout)
    payout.status = PayoutStatus.REJECTED
    payout.decided_at = timezone.now()
    payout.decided_by = operator
    payout.reject_reason = reason
    payout.save(update_fields=["status", "decided_at", "decided_by", "reject_reason"])
    postings.payout_reject_post(payout=payout)
    audit_record(
        actor=operator,
        action="payout.reject",
        target=payout,
        before=before,
        after=_decision_values(payout),
    )
    return payout


def _decision_values(payout: Payout) -> dict:
    return {
        "status": payout.status,
        "amount": payout.amount,
        "decided_at": payout.decided_at,
        "decided_by": payout.decided_by_id,
        "reject_reason": payout.reject_reason,
        "provider_reference": payout.provider_reference,
    }


@transaction.atomic
def payout_settle(*, payout_id: int, amount: int) -> Payout:
    """The provider paid the payout: in-payout → paid out, and the sharer's confirmed
    commissions that the money paid out so far covers, oldest first, become `paid`.

    Settling a paid payout again changes nothing. NotFound for an unknown payout, Conflict for
    one that was not approved or whose amount differs (the webhook is then refused and may be
    sent again)."""
    payout = Payout.objects.select_for_update().filter(pk=payout_id).first()
    if payout is None:
        raise NotFound("No such payout.")
    if payout.status == PayoutStatus.PAID:
        return payout
    if payout.status != PayoutStatus.REQUESTED or payout.decided_at is None:
        raise Conflict("This payout was not approved.", code="payout_not_approved")
    if amount != payout.amount:
        raise Conflict("The paid amount differs from the payout.", code="amount_mismatch")
    payout.status = PayoutStatus.PAID
    payout.paid_at = timezone.now()
    payout.save(update_fields=["status", "paid_at"])
    postings.payout_paid_post(payout=payout)
    _mark_commissions_paid(payout)
    return payout


def _mark_commissions_paid(payout: Payout) -> None:
    """Mark confirmed commissions paid, oldest first, while the sharer's paid-out total still
    covers every paid commission in full: a commission partly paid out stays confirmed until a
    later payout completes it, so Σ paid commissions ≤ paid out, always."""
    paid_out = owner_balances(owner_id=payout.sharer_id, kinds=[AccountKind.SHARER_PAID_OUT])[
        AccountKind.SHARER_PAID_OUT
    ]
    mine = Commission.objects.filter(sharer_id=payout.sharer_id)
    already = mine.filter(status=CommissionStatus.PAID).aggregate(total=Sum("amount"))["total"]
    budget = paid_out - (already or 0)
    covered = []
    waiting = mine.filter(status=CommissionStatus.CONFIRMED).order_by("confirmed_at", "id")
    for commission_id, commission_amount in waiting.values_list("id", "amount").iterator():
        if commission_amount > budget:
            break
        budget -= commission_amount
        covered.append(commission_id)
    if covered:
        Commission.objects.filter(pk__in=covered, status=CommissionStatus.CONFIRMED).update(
            status=CommissionStatus.PAID, payout=payout, paid_at=payout.paid_at
        )


def on_payout_succeeded(note: Notification) -> bool:
    """The `payout.succeeded` webhook handler (registered in RewardsConfig.ready)."""
    payout_settle(payout_id=note.payout_id, amount=note.amount)
    return True
