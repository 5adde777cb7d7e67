"""The sharer's money in the ledger: what accruing, reducing and confirming commissions move.

The merchant funds the commission on its own sales (DESIGN.md): accrual moves it from the shop's
payable to the sharer's pending; a refund moves the reduction back from where the commission sits
(pending, or available once confirmed); confirmation moves it from pending to available.

Every posting carries an idempotency key derived from what it records, so a replayed event or a
retried job posts nothing more:
- "commission-accrued:<first commission id>": a batch of accruals (one commission is a batch of
  one), each commission belonging to exactly one batch;
- "commission-reduced:<commission>:<goods still paid>": the reduction to that level of paid goods,
  which a line passes through at most once as refunds only ever lower it;
- "commission-confirmed:<commission>".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from backend.ledger.models import Account, AccountKind, Transaction
from backend.ledger.services import account_get_or_create, transaction_post
from backend.money import currency
from rewards.models import Commission, CommissionStatus


def _accounts(kind: str, owners) -> dict:
    """The owners' accounts of `kind`: the existing ones in one query, the rest opened."""
    owners = set(owners)
    found = {
        account.owner_id: account
        for account in Account.objects.filter(kind=kind, owner_id__in=owners, currency=currency())
    }
    for owner in owners - found.keys():
        found[owner] = account_get_or_create(kind=kind, owner_id=owner)
    return found


def accrual_post(commissions: Sequence[Commission]) -> Transaction | None:
    """One posting for a batch of new commissions: each shop's payable −Σ of its commissions,
    each sharer's pending +Σ of theirs. Zero commissions move nothing."""
    funded = Counter()
    earned = Counter()
    for commission in commissions:
        funded[commission.merchant_id] += commission.accrued_amount
        earned[commission.sharer_id] += commission.accrued_amount
    payables = _accounts(AccountKind.MERCHANT_PAYABLE, funded)
    pendings = _accounts(AccountKind.SHARER_PENDING, earned)
    legs = [(payables[m], -amount) for m, amount in funded.items() if amount]
    legs += [(pendings[s], amount) for s, amount in earned.items() if amount]
    if not legs:
        return None
    first = min(commission.pk for commission in commissions)
    text = (
        f"Commission {first} accrued"
        if len(commissions) == 1
        else f"{len(commissions)} commissions accrued from {first}"
    )
    return transaction_post(
        idempotency_key=f"commission-accrued:{first}",
        entries=legs,
        description=text,
        reference=f"commission:{first}",
    )


def _bucket(commission: Commission) -> str:
    """Where the commission's money sits now: pending until confirmed, then available."""
    if commission.status == CommissionStatus.CONFIRMED:
        return AccountKind.SHARER_AVAILABLE
    return AccountKind.SHARER_PENDING


def reduction_post(*, commission: Commission, amount: int, still_paid: int) -> Transaction:
    """`amount` back from the sharer's bucket to the shop's payable (a refund lowered it)."""
    return transaction_post(
        idempotency_key=f"commission-reduced:{commission.pk}:{still_paid}",
        entries=[
            (
                account_get_or_create(kind=_bucket(commission), owner_id=commission.sharer_id),
                -amount,
            ),
            (
                account_get_or_create(
                    kind=AccountKind.MERCHANT_PAYABLE, owner_id=commission.merchant_id
                ),
                amount,
            ),
        ],
        description=f"Commission {commission.pk} reduced to {still_paid} of goods paid",
        reference=f"commission:{commission.pk}",
    )


def confirmation_post(*, commission: Commission) -> Transaction:
    """The commission's amount from the sharer's pending to available."""
    sharer = commission.sharer_id
    return transaction_post(
        idempotency_key=f"commission-confirmed:{commission.pk}",
        entries=[
            (
                account_get_or_create(kind=AccountKind.SHARER_PENDING, owner_id=sharer),
                -commission.amount,
            ),
            (
                account_get_or_create(kind=AccountKind.SHARER_AVAILABLE, owner_id=sharer),
                commission.amount,
            ),
        ],
        description=f"Commission {commission.pk} confirmed",
        reference=f"commission:{commission.pk}",
    )


# --- Payouts (helper "payouts") -------------------------------------------------------------


def _payout_move(*, payout, key: str, source: str, target: str, text: str) -> Transaction:
    sharer = payout.sharer_id
    return transaction_post(
        idempotency_key=f"{key}:{payout.pk}",
        entries=[
            (account_get_or_create(kind=source, owner_id=sharer), -payout.amount),
            (account_get_or_create(kind=target, owner_id=sharer), payout.amount),
        ],
        description=f"Payout {payout.pk} {text}",
        reference=f"payout:{payout.pk}",
    )


def payout_request_post(*, payout) -> Transaction:
    """The asked amount from available to in-payout (refused beyond the available balance)."""
    return _payout_move(
        payout=payout,
        key="payout-requested",
        source=AccountKind.SHARER_AVAILABLE,
        target=AccountKind.SHARER_IN_PAYOUT,
        text="requested",
    )


def payout_reject_post(*, payout) -> Transaction:
    """A rejected payout's amount back from in-payout to available."""
    return _payout_move(
        payout=payout,
        key="payout-rejected",
        source=AccountKind.SHARER_IN_PAYOUT,
        target=AccountKind.SHARER_AVAILABLE,
        text="rejected",
    )


def payout_paid_post(*, payout) -> Transaction:
    """A paid payout's amount from in-payout to paid out."""
    return _payout_move(
        payout=payout,
        key="payout-paid",
        source=AccountKind.SHARER_IN_PAYOUT,
        target=AccountKind.SHARER_PAID_OUT,
        text="paid",
    )
