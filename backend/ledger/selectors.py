"""Reads of the ledger: balances (cached and recomputed), entries, history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from backend.ledger.models import Account, Entry
from backend.money import currency


def account_get(*, kind: str, owner_id: int | None = None) -> Account | None:
    """The account of `kind` for `owner_id` in our currency, or None if it was never opened."""
    return Account.objects.filter(kind=kind, owner_id=owner_id, currency=currency()).first()


def account_balance(account: Account) -> int:
    """The account's balance from its cached column: one indexed read, current as of now.

    Reads the row, not the instance, so a stale `Account` object still gives today's balance.
    """
    return Account.objects.values_list("balance", flat=True).get(pk=account.pk)


def account_balance_from_entries(account: Account) -> int:
    """The account's balance recomputed as the sum of its entries (verification, audits)."""
    return _entry_sum(Entry.objects.filter(account=account))


def account_balance_at(account: Account, *, at: datetime) -> int:
    """The account's balance as it stood at `at`: the sum of entries posted up to then."""
    return _entry_sum(Entry.objects.filter(account=account, transaction__created_at__lte=at))


def owner_balances(*, owner_id: int, kinds: Iterable[str]) -> dict[str, int]:
    """`{kind: balance}` of one owner's accounts of these kinds; an account never opened is 0.

    One query whatever the number of kinds (e.g. a sharer's pending, available, in payout and
    paid out for the earnings page).
    """
    kinds = list(kinds)
    balances = dict.fromkeys(kinds, 0)
    rows = Account.objects.filter(owner_id=owner_id, kind__in=kinds, currency=currency())
    balances.update(rows.values_list("kind", "balance"))
    return balances


def account_entries(account: Account) -> QuerySet[Entry]:
    """The account's entries, newest first, with their transaction (ready to paginate)."""
    return Entry.objects.filter(account=account).select_related("transaction").order_by("-id")


def accounts_out_of_balance() -> QuerySet[Account]:
    """Accounts whose cached balance differs from the sum of their entries: always empty.

    A full scan, for audits and tests, not for request paths.
    """
    return Account.objects.annotate(entry_sum=Coalesce(Sum("entries__amount"), 0)).filter(
        ~Q(balance=F("entry_sum"))
    )


def _entry_sum(entries: QuerySet[Entry]) -> int:
    return entries.aggregate(total=Coalesce(Sum("amount"), 0))["total"]
