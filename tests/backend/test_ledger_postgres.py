"""The ledger on PostgreSQL: the append-only trigger and real concurrency.

These tests commit for real (transactional database) so that threads, each on its own
connection, see each other's work and contend for the same row locks.
"""

import threading

import pytest
from django.db import IntegrityError, connection, connections

from backend.ledger.errors import InsufficientFunds
from backend.ledger.models import AccountKind, Entry, Transaction
from backend.ledger.selectors import (
    account_balance,
    account_balance_from_entries,
    accounts_out_of_balance,
)
from backend.ledger.services import account_get_or_create, transaction_post

pytestmark = [pytest.mark.services("postgres"), pytest.mark.django_db(transaction=True)]

THREADS = 20


def _fund(owner_id: int, amount: int):
    merchant = account_get_or_create(kind=AccountKind.MERCHANT_PAYABLE, owner_id=1000 + owner_id)
    available = account_get_or_create(kind=AccountKind.SHARER_AVAILABLE, owner_id=owner_id)
    transaction_post(
        idempotency_key=f"fund:{owner_id}",
        entries=[(merchant, -amount), (available, amount)],
        description="fund",
    )
    return available


def _run_in_threads(work) -> list:
    """Run work(i) in THREADS threads released together; each closes its own connection."""
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:
            # Kept, not raised: a thread's exception would vanish; the test inspects it instead.
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_entry SET amount = amount + 1",
        "DELETE FROM ledger_entry",
        "UPDATE ledger_transaction SET description = 'rewritten'",
        "DELETE FROM ledger_transaction",
    ],
)
def test_trigger_refuses_raw_update_and_delete(statement):
    """Raw SQL cannot rewrite or remove entries or transactions."""
    _fund(1, 500)
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as cursor:
        cursor.execute(statement)
    assert list(Entry.objects.order_by("amount").values_list("amount", flat=True)) == [-500, 500]
    assert Transaction.objects.get().description == "fund"


def test_concurrent_withdrawals_never_overdraw():
    """20 simultaneous withdrawals of 1.50 from 10.00: exactly 6 succeed, the rest are refused."""
    available = _fund(1, 1000)
    in_payout = account_get_or_create(kind=AccountKind.SHARER_IN_PAYOUT, owner_id=1)

    def withdraw(index: int) -> str:
        transaction_post(
            idempotency_key=f"payout:{index}",
            entries=[(available, -150), (in_payout, 150)],
            description="payout",
        )
        return "paid"

    results = _run_in_threads(withdraw)
    unexpected = [r for r in results if r != "paid" and not isinstance(r, InsufficientFunds)]
    assert not unexpected
    assert results.count("paid") == 1000 // 150
    assert account_balance(available) == 1000 - 150 * (1000 // 150)
    assert account_balance(in_payout) == 150 * (1000 // 150)
    assert account_balance_from_entries(available) == account_balance(available)


def test_opposite_transfers_do_not_deadlock():
    """Transfers both ways between two accounts all succeed: locks are taken in id order."""
    first, second = _fund(1, 10_000), _fund(2, 10_000)

    def transfer(index: int) -> int:
        source, target = (first, second) if index % 2 else (second, first)
        posted = transaction_post(
            idempotency_key=f"transfer:{index}",
            entries=[(source, -(index + 1)), (target, index + 1)],
            description="transfer",
        )
        return posted.pk

    results = _run_in_threads(transfer)
    assert all(isinstance(result, int) for result in results), results
    moved = sum(index + 1 for index in range(THREADS) if index % 2) - sum(
        index + 1 for index in range(THREADS) if not index % 2
    )
    assert account_balance(first) == 10_000 - moved
    assert account_balance(second) == 10_000 + moved
    assert not accounts_out_of_balance().exists()


def test_concurrent_retries_post_once():
    """The same posting sent 20 times at once is written once; every call gets that one."""
    available = _fund(1, 1000)
    in_payout = account_get_or_create(kind=AccountKind.SHARER_IN_PAYOUT, owner_id=1)

    def post(index: int) -> int:
        return transaction_post(
            idempotency_key="payout:once",
            entries=[(available, -400), (in_payout, 400)],
            description="payout",
        ).pk

    results = _run_in_threads(post)
    assert len(set(results)) == 1
    assert isinstance(results[0], int), results
    assert Transaction.objects.filter(idempotency_key="payout:once").count() == 1
    assert account_balance(available) == 600
