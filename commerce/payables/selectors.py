"""Reads of a shop's money: what the platform owes it and the movements that made that sum."""

from __future__ import annotations

from django.db.models import QuerySet

from backend.ledger.models import AccountKind, Entry
from backend.ledger.selectors import account_entries, account_get
from commerce.models import Merchant


def shop_payable_balance(merchant: Merchant) -> int:
    """What the platform owes the shop now, in minor units (0 before its first sale).

    Negative when refunds after a settlement left the shop owing the platform.
    """
    account = account_get(kind=AccountKind.MERCHANT_PAYABLE, owner_id=merchant.pk)
    return 0 if account is None else account.balance


def shop_movements(merchant: Merchant) -> QuerySet[Entry]:
    """The entries of the shop's payable, newest first, each with its transaction."""
    account = account_get(kind=AccountKind.MERCHANT_PAYABLE, owner_id=merchant.pk)
    if account is None:
        return Entry.objects.none()
    return account_entries(account)
