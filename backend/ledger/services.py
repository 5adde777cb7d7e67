"""Writes to the ledger: opening accounts and posting balanced transactions.

`transaction_post` is the only code that writes entries or changes a cached balance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError
from django.db import transaction as db_transaction

from backend.ledger.errors import IdempotencyConflict, InsufficientFunds, InvalidPosting
from backend.ledger.models import (
    NON_NEGATIVE_KINDS,
    PLATFORM_KINDS,
    Account,
    AccountKind,
    Entry,
    Transaction,
)
from backend.money import currency

_MAX_TEXT = 200


@dataclass(frozen=True)
class Leg:
    """One line of a posting: `amount` minor units onto `account` (signed, see models)."""

    account: Account
    amount: int


def account_get_or_create(*, kind: str, owner_id: int | None = None) -> Account:
    """The account of `kind` for `owner_id` in the deployment's currency, opened on first use.

    Platform kinds (gateway clearing, platform revenue) take no owner; the others need one.
    A new account is non-negative when its kind is in `NON_NEGATIVE_KINDS` (the sharer's
    buckets); an existing account is returned as it is. Safe under concurrency: a racing
    creation falls back to reading the winner's row.
    """
    if kind not in AccountKind.values:
        raise ValueError(f"unknown account kind {kind!r}")
    if (kind in PLATFORM_KINDS) != (owner_id is None):
        needs = "takes no owner" if kind in PLATFORM_KINDS else "needs an owner id"
        raise ValueError(f"account kind {kind!r} {needs}")
    account, _ = Account.objects.get_or_create(
        kind=kind,
        owner_id=owner_id,
        currency=currency(),
        defaults={"non_negative": kind in NON_NEGATIVE_KINDS},
    )
    return account


def transaction_post(
    *,
    idempotency_key: str,
    entries: Sequence[Leg | tuple[Account, int]],
    description: str,
    reference: str = "",
) -> Transaction:
    """Post one balanced transaction and return it; a retried key returns the stored one.

    `entries` are `Leg`s or `(account, amount)` pairs: at least two, none zero, summing to zero,
    all on accounts of one currency (`InvalidPosting` otherwise). The touched accounts are locked
    (SELECT ... FOR UPDATE, in id order so concurrent postings can never deadlock), every
    non-negative account is checked against its new balance (`InsufficientFunds`), then the
    transaction, its entries and the cached balances are written together. On any refusal
    nothing is written.

    Posting an `idempotency_key` that was used before writes nothing: with the same entries (as a
    multiset of account and amount; description and reference are not compared) it returns the
    earlier transaction, with different ones it raises `IdempotencyConflict`.

    May run inside the caller's transaction (the usual case: the business change and its money
    commit together); the account locks are then held until that transaction ends, so keep the
    rest of it short.
    """
    legs = _checked_legs(entries)
    _check_text("idempotency_key", idempotency_key, required=True)
    _check_text("description", description, required=True)
    _check_text("reference", reference, required=False)

    with db_transaction.atomic():
        existing = _existing(idempotency_key, legs)
        if existing is not None:
            return existing

        changes: Counter[int] = Counter()
        for leg in legs:
            changes[leg.account.pk] += leg.amount
        accounts = _lock_accounts(changes.keys())
        if len(accounts) != len(changes):
            raise InvalidPosting("Every entry needs a saved account.", code="invalid_entry")
        new_balances = {}
        for account_id, change in changes.items():
            account = accounts[account_id]
            new_balances[account_id] = account.balance + change
            if account.non_negative and new_balances[account_id] < 0:
                raise InsufficientFunds(
                    account_id=account_id, balance=account.balance, change=change
                )

        try:
            # A savepoint, so a key raced in by a concurrent posting leaves this transaction usable.
            with db_transaction.atomic():
                posted = Transaction.objects.create(
                    idempotency_key=idempotency_key,
                    description=description,
                    reference=reference,
                    currency=legs[0].account.currency,
                )
        except IntegrityError:
            existing = _existing(idempotency_key, legs)
            if existing is None:
                raise
            return existing

        Entry.objects.bulk_create(
            Entry(transaction=posted, account_id=leg.account.pk, amount=leg.amount) for leg in legs
        )
        for account_id, balance in new_balances.items():
            if balance != accounts[account_id].balance:
                Account.objects.filter(pk=account_id).update(balance=balance)
    return posted


def _checked_legs(entries: Sequence[Leg | tuple[Account, int]]) -> list[Leg]:
    legs = []
    for item in entries:
        if isinstance(item, Leg):
            leg = item
        elif isinstance(item, tuple) and len(item) == 2:
            leg = Leg(*item)
        else:
            raise InvalidPosting(
                "Each entry is a Leg or an (account, amount) pair.", code="invalid_entry"
            )
        if not isinstance(leg.account, Account) or leg.account.pk is None:
            raise InvalidPosting("Every entry needs a saved account.", code="invalid_entry")
        if isinstance(leg.amount, bool) or not isinstance(leg.amount, int):
            raise InvalidPosting("Every amount is an integer of minor units.", code="invalid_entry")
        if leg.amount == 0:
            raise InvalidPosting("An entry cannot be zero.", code="zero_entry")
        legs.append(leg)
    if len(legs) < 2:
        raise InvalidPosting("A transaction needs at least two entries.", code="empty_transaction")
    total = sum(leg.amount for leg in legs)
    if total != 0:
        raise InvalidPosting(
            f"The entries must sum to zero; they sum to {total}.", code="unbalanced_transaction"
        )
    if len({leg.account.currency for leg in legs}) > 1:
        raise InvalidPosting(
            "All entries of a transaction are in one currency.", code="currency_mismatch"
        )
    return legs


def _check_text(name: str, value: str, *, required: bool) -> None:
    if not isinstance(value, str) or len(value) > _MAX_TEXT or (required and not value.strip()):
        kind = "a non-empty text" if required else "a text"
        raise InvalidPosting(
            f"The {name} must be {kind} of at most {_MAX_TEXT} characters.", code=f"invalid_{name}"
        )


def _existing(idempotency_key: str, legs: list[Leg]) -> Transaction | None:
    """The transaction already posted under this key, if its entries match `legs`."""
    posted = Transaction.objects.filter(idempotency_key=idempotency_key).first()
    if posted is None:
        return None
    stored = Counter(posted.entries.values_list("account_id", "amount"))
    if stored != Counter((leg.account.pk, leg.amount) for leg in legs):
        raise IdempotencyConflict()
    return posted


def _lock_accounts(account_ids) -> dict[int, Account]:
    """Lock the accounts' rows, always in id order. Call inside a transaction."""
    locked = Account.objects.select_for_update().filter(pk__in=account_ids).order_by("pk")
    return {account.pk: account for account in locked}
