"""Ledger reads (balances, history) and the read-only admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.ledger.models import Account, AccountKind
from backend.ledger.selectors import (
    account_balance,
    account_balance_at,
    account_balance_from_entries,
    account_entries,
    account_get,
    accounts_out_of_balance,
    owner_balances,
)
from backend.ledger.services import account_get_or_create, transaction_post

pytestmark = pytest.mark.django_db

SHARER = 7


@pytest.fixture
def merchant():
    return account_get_or_create(kind=AccountKind.MERCHANT_PAYABLE, owner_id=1)


@pytest.fixture
def pending():
    return account_get_or_create(kind=AccountKind.SHARER_PENDING, owner_id=SHARER)


def _accrue(key, merchant, pending, amount):
    return transaction_post(
        idempotency_key=key, entries=[(merchant, -amount), (pending, amount)], description=key
    )


def test_balance_reads_the_row_not_a_stale_instance(merchant, pending):
    """account_balance answers today's balance even from an object loaded before a posting."""
    _accrue("a", merchant, pending, 300)
    assert pending.balance == 0
    assert account_balance(pending) == 300


def test_cached_balance_equals_sum_of_entries(merchant, pending):
    """After several postings the cached column and the recomputed sum agree."""
    for index, amount in enumerate([300, 45, 1]):
        _accrue(f"a{index}", merchant, pending, amount)
    assert account_balance(pending) == account_balance_from_entries(pending) == 346
    assert account_balance_from_entries(merchant) == -346
    assert not accounts_out_of_balance().exists()


def test_out_of_balance_account_is_found(merchant, pending):
    """An account whose cache was tampered with shows up in the audit."""
    _accrue("a", merchant, pending, 300)
    Account.objects.filter(pk=pending.pk).update(balance=299)
    assert list(accounts_out_of_balance()) == [pending]


def test_balance_at_a_past_time(merchant, pending):
    """account_balance_at sums only what was posted up to that moment."""
    _accrue("a", merchant, pending, 300)
    between = timezone.now()
    later = _accrue("b", merchant, pending, 50)
    assert later.created_at > between
    assert account_balance_at(pending, at=between) == 300
    assert account_balance_at(pending, at=between - timedelta(days=1)) == 0
    assert account_balance_at(pending, at=timezone.now()) == 350


def test_owner_balances_fill_missing_kinds_with_zero(merchant, pending):
    """Every asked kind is answered; an account never opened counts 0."""
    _accrue("a", merchant, pending, 120)
    kinds = [AccountKind.SHARER_PENDING, AccountKind.SHARER_AVAILABLE]
    assert owner_balances(owner_id=SHARER, kinds=kinds) == {
        AccountKind.SHARER_PENDING: 120,
        AccountKind.SHARER_AVAILABLE: 0,
    }


def test_account_get_does_not_open_accounts(pending):
    """account_get finds an open account and answers None for one never opened."""
    assert account_get(kind=AccountKind.SHARER_PENDING, owner_id=SHARER) == pending
    assert account_get(kind=AccountKind.SHARER_AVAILABLE, owner_id=SHARER) is None
    assert Account.objects.count() == 1


def test_entries_newest_first_in_one_query(merchant, pending, django_assert_num_queries):
    """An account's entries come newest first with their transactions in a single query."""
    for index in range(5):
        _accrue(f"a{index}", merchant, pending, index + 1)
    with django_assert_num_queries(1):
        rows = [(entry.amount, entry.transaction.description) for entry in account_entries(pending)]
    assert rows == [(5, "a4"), (4, "a3"), (3, "a2"), (2, "a1"), (1, "a0")]


def test_admin_shows_a_transaction_read_only(admin_client, merchant, pending):
    """Operators see a transaction with its entries, and cannot add, change or delete."""
    posted = _accrue("a", merchant, pending, 120)
    page = admin_client.get(f"/admin/ledger/transaction/{posted.pk}/change/")
    assert page.status_code == 200
    assert "Sharer pending #7" in page.content.decode()
    assert b'name="_save"' not in page.content
    assert admin_client.get("/admin/ledger/transaction/add/").status_code == 403
    assert admin_client.post(f"/admin/ledger/transaction/{posted.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/ledger/account/").status_code == 200
    assert admin_client.get("/admin/ledger/account/add/").status_code == 403
