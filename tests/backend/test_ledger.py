"""The ledger engine: accounts, balanced postings, idempotency, non-negative accounts."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from backend.ledger.errors import (
    AppendOnlyViolation,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidPosting,
)
from backend.ledger.models import Account, AccountKind, Entry, Transaction
from backend.ledger.selectors import account_balance, account_balance_from_entries
from backend.ledger.services import Leg, account_get_or_create, transaction_post

pytestmark = pytest.mark.django_db

MERCHANT, SHARER = 11, 22


@pytest.fixture
def merchant():
    return account_get_or_create(kind=AccountKind.MERCHANT_PAYABLE, owner_id=MERCHANT)


@pytest.fixture
def available():
    return account_get_or_create(kind=AccountKind.SHARER_AVAILABLE, owner_id=SHARER)


@pytest.fixture
def in_payout():
    return account_get_or_create(kind=AccountKind.SHARER_IN_PAYOUT, owner_id=SHARER)


@pytest.fixture
def funded(merchant, available):
    """The sharer has 10.00 available, funded by the merchant."""
    transaction_post(
        idempotency_key="fund", entries=[(merchant, -1000), (available, 1000)], description="fund"
    )
    return available


def _snapshot():
    return (
        Transaction.objects.count(),
        Entry.objects.count(),
        sorted(Account.objects.values_list("pk", "balance")),
    )


# --- Accounts ---------------------------------------------------------------------------------


def test_account_is_opened_once():
    """Asking twice for the same kind and owner gives the same account."""
    first = account_get_or_create(kind=AccountKind.SHARER_PENDING, owner_id=SHARER)
    again = account_get_or_create(kind=AccountKind.SHARER_PENDING, owner_id=SHARER)
    assert first.pk == again.pk
    assert Account.objects.count() == 1


def test_platform_account_is_unique_without_owner():
    """Platform accounts (no owner) are still one per kind and currency."""
    first = account_get_or_create(kind=AccountKind.GATEWAY_CLEARING)
    assert account_get_or_create(kind=AccountKind.GATEWAY_CLEARING).pk == first.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(kind=AccountKind.GATEWAY_CLEARING, currency=first.currency)


@pytest.mark.parametrize(
    ("kind", "owner_id", "non_negative"),
    [
        (AccountKind.SHARER_PENDING, 1, True),
        (AccountKind.SHARER_AVAILABLE, 1, True),
        (AccountKind.SHARER_IN_PAYOUT, 1, True),
        (AccountKind.SHARER_PAID_OUT, 1, True),
        (AccountKind.MERCHANT_PAYABLE, 1, False),
        (AccountKind.PLATFORM_REVENUE, None, False),
        (AccountKind.GATEWAY_CLEARING, None, False),
    ],
)
def test_non_negative_follows_the_kind(kind, owner_id, non_negative):
    """Sharer buckets are opened non-negative; merchant and platform accounts are not."""
    account = account_get_or_create(kind=kind, owner_id=owner_id)
    assert account.non_negative is non_negative


def test_account_takes_the_deployment_currency(settings):
    """A new account is in the currency setting."""
    settings.CURRENCY = "EUR"
    assert account_get_or_create(kind=AccountKind.MERCHANT_PAYABLE, owner_id=1).currency == "EUR"


@pytest.mark.parametrize(
    ("kind", "owner_id"),
    [(AccountKind.PLATFORM_REVENUE, 5), (AccountKind.SHARER_PENDING, None), ("savings", 5)],
)
def test_account_kind_and_owner_must_agree(kind, owner_id):
    """Platform kinds take no owner, the others need one, unknown kinds are refused."""
    with pytest.raises(ValueError, match="owner|unknown"):
        account_get_or_create(kind=kind, owner_id=owner_id)
    assert not Account.objects.exists()


# --- Posting ----------------------------------------------------------------------------------


def test_post_writes_entries_and_balances(merchant, available):
    """A balanced posting writes its entries and moves both cached balances."""
    posted = transaction_post(
        idempotency_key="k1",
        entries=[Leg(merchant, -250), Leg(available, 250)],
        description="commission",
        reference="order:1",
    )
    assert sorted(posted.entries.values_list("account_id", "amount")) == sorted(
        [(merchant.pk, -250), (available.pk, 250)]
    )
    assert (posted.currency, posted.reference) == (merchant.currency, "order:1")
    assert account_balance(merchant) == -250
    assert account_balance(available) == 250


def test_same_account_twice_nets_out(funded, in_payout):
    """Several lines on one account count as their sum against the non-negative check."""
    transaction_post(
        idempotency_key="net",
        entries=[(funded, 500), (funded, -1500), (in_payout, 1000)],
        description="net",
    )
    assert account_balance(funded) == 0
    assert account_balance_from_entries(funded) == 0


@pytest.mark.parametrize(
    ("amounts", "code"),
    [
        ([100, -99], "unbalanced_transaction"),
        ([100, 0, -100], "zero_entry"),
        ([100], "empty_transaction"),
        ([], "empty_transaction"),
        ([100.0, -100.0], "invalid_entry"),
        ([True, -1], "invalid_entry"),
    ],
)
def test_malformed_posting_refused_and_writes_nothing(merchant, available, amounts, code):
    """Unbalanced, zero, single-line or non-integer postings are refused with nothing written."""
    before = _snapshot()
    accounts = [merchant, available, merchant]
    with pytest.raises(InvalidPosting) as caught:
        transaction_post(
            idempotency_key="bad",
            entries=list(zip(accounts, amounts, strict=False)),
            description="bad",
        )
    assert caught.value.code == code
    assert _snapshot() == before


def test_unsaved_account_refused(merchant):
    """An entry on an account that was never saved is refused."""
    with pytest.raises(InvalidPosting, match="saved account"):
        transaction_post(
            idempotency_key="k",
            entries=[(merchant, 1), (Account(kind=AccountKind.PLATFORM_REVENUE), -1)],
            description="x",
        )


def test_account_missing_from_the_database_refused(merchant):
    """An entry on an account object whose row does not exist is refused, not a crash."""
    ghost = Account(pk=987654, kind=AccountKind.PLATFORM_REVENUE, currency=merchant.currency)
    with pytest.raises(InvalidPosting, match="saved account"):
        transaction_post(idempotency_key="k", entries=[(merchant, 1), (ghost, -1)], description="x")
    assert not Transaction.objects.exists()


def test_currencies_cannot_mix(settings, merchant):
    """All entries of a transaction are in one currency."""
    settings.CURRENCY = "EUR"
    euro = account_get_or_create(kind=AccountKind.MERCHANT_PAYABLE, owner_id=MERCHANT)
    with pytest.raises(InvalidPosting) as caught:
        transaction_post(idempotency_key="k", entries=[(merchant, 5), (euro, -5)], description="x")
    assert caught.value.code == "currency_mismatch"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("idempotency_key", ""),
        ("idempotency_key", "k" * 201),
        ("description", " "),
        ("reference", "r" * 201),
    ],
)
def test_texts_are_checked(merchant, available, field, value):
    """An empty key or description, or any text over 200 characters, is refused."""
    texts = {"idempotency_key": "k", "description": "d", "reference": ""} | {field: value}
    with pytest.raises(InvalidPosting) as caught:
        transaction_post(entries=[(merchant, -1), (available, 1)], **texts)
    assert caught.value.code == f"invalid_{field}"
    assert not Transaction.objects.exists()


# --- Idempotency ------------------------------------------------------------------------------


def test_retry_returns_the_first_transaction(merchant, available):
    """Posting the same key and entries again writes nothing and returns the stored one."""
    first = transaction_post(
        idempotency_key="pay:1", entries=[(merchant, -100), (available, 100)], description="a"
    )
    before = _snapshot()
    again = transaction_post(
        idempotency_key="pay:1", entries=[(available, 100), (merchant, -100)], description="b"
    )
    assert again.pk == first.pk
    assert _snapshot() == before
    assert account_balance(available) == 100


def test_retry_with_other_entries_is_a_conflict(merchant, available):
    """The same key with different entries raises idempotency_conflict and writes nothing."""
    transaction_post(
        idempotency_key="pay:1", entries=[(merchant, -100), (available, 100)], description="a"
    )
    before = _snapshot()
    with pytest.raises(IdempotencyConflict) as caught:
        transaction_post(
            idempotency_key="pay:1", entries=[(merchant, -101), (available, 101)], description="a"
        )
    assert (caught.value.code, caught.value.status) == ("idempotency_conflict", 409)
    assert _snapshot() == before


# --- Non-negative accounts --------------------------------------------------------------------


def test_withdrawal_beyond_balance_refused(funded, in_payout):
    """Moving more than a non-negative account holds raises insufficient_balance (400)."""
    before = _snapshot()
    with pytest.raises(InsufficientFunds) as caught:
        transaction_post(
            idempotency_key="w", entries=[(funded, -1001), (in_payout, 1001)], description="w"
        )
    assert (caught.value.code, caught.value.status) == ("insufficient_balance", 400)
    assert (caught.value.account_id, caught.value.balance, caught.value.change) == (
        funded.pk,
        1000,
        -1001,
    )
    assert _snapshot() == before


def test_withdrawal_down_to_zero_allowed(funded, in_payout):
    """A non-negative account may be emptied exactly."""
    transaction_post(
        idempotency_key="w", entries=[(funded, -1000), (in_payout, 1000)], description="w"
    )
    assert account_balance(funded) == 0


def test_merchant_payable_may_go_negative(merchant, available):
    """A merchant's payable is not flagged: it can fall below zero."""
    transaction_post(
        idempotency_key="c", entries=[(merchant, -700), (available, 700)], description="c"
    )
    assert account_balance(merchant) == -700


def test_refusal_leaves_the_callers_transaction_usable(funded, in_payout, merchant):
    """A refused posting inside a caller's atomic block rolls back only itself."""
    with transaction.atomic():
        with pytest.raises(InsufficientFunds):
            transaction_post(
                idempotency_key="w", entries=[(funded, -5000), (in_payout, 5000)], description="w"
            )
        transaction_post(
            idempotency_key="c", entries=[(merchant, -1), (funded, 1)], description="c"
        )
    assert account_balance(funded) == 1001


def test_database_refuses_a_negative_flagged_balance(funded):
    """Even bypassing the service, the database check keeps a flagged balance at or above 0."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=funded.pk).update(balance=-1)


# --- Append-only ------------------------------------------------------------------------------


def test_entry_cannot_be_changed_or_deleted(funded):
    """Saving an existing entry, deleting it, or bulk-updating/deleting entries is refused."""
    entry = Entry.objects.filter(account=funded).get()
    entry.amount = 5
    with pytest.raises(AppendOnlyViolation):
        entry.save()
    with pytest.raises(AppendOnlyViolation):
        entry.delete()
    with pytest.raises(AppendOnlyViolation):
        Entry.objects.filter(pk=entry.pk).update(amount=5)
    with pytest.raises(AppendOnlyViolation):
        Entry.objects.all().delete()
    with pytest.raises(AppendOnlyViolation):
        Entry.objects.bulk_update([entry], ["amount"])
    assert Entry.objects.get(pk=entry.pk).amount == 1000


def test_transaction_cannot_be_changed_or_deleted(funded):
    """The same holds for transactions."""
    posted = Transaction.objects.get()
    posted.description = "rewritten"
    with pytest.raises(AppendOnlyViolation):
        posted.save()
    with pytest.raises(AppendOnlyViolation):
        posted.delete()
    with pytest.raises(AppendOnlyViolation):
        Transaction.objects.update(description="rewritten")
    with pytest.raises(AppendOnlyViolation):
        Transaction.objects.filter(pk=posted.pk).delete()
    assert Transaction.objects.get().description == "fund"


def test_entry_with_an_existing_pk_does_not_overwrite(funded):
    """A new Entry object carrying an old pk is inserted, so it fails instead of overwriting."""
    entry = Entry.objects.filter(account=funded).get()
    copy = Entry(pk=entry.pk, transaction_id=entry.transaction_id, account=funded, amount=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    assert Entry.objects.get(pk=entry.pk).amount == 1000


def test_account_with_entries_cannot_be_deleted(funded):
    """Entries protect their account from deletion."""
    with pytest.raises(ProtectedError):
        funded.delete()
