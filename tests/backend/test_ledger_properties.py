"""Property tests: random postings never break the ledger's invariants.

A hypothesis state machine opens accounts and posts random transactions (balanced or not,
within or beyond the balances, retried with the same or other entries). A plain-Python model
predicts every outcome; after each step the invariants are checked against the database: every
transaction sums to zero, no non-negative account is below zero, each cached balance equals the
sum of its entries and the model's balance. Each run happens inside a savepoint rolled back at
teardown, so runs never see each other's rows.
"""

from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from backend.ledger.errors import IdempotencyConflict, InsufficientFunds, InvalidPosting
from backend.ledger.models import PLATFORM_KINDS, Account, AccountKind, Entry, Transaction
from backend.ledger.selectors import accounts_out_of_balance
from backend.ledger.services import account_get_or_create, transaction_post

pytestmark = pytest.mark.django_db

amounts = st.integers(min_value=1, max_value=5_000) | st.integers(min_value=-5_000, max_value=-1)


class LedgerMachine(RuleBasedStateMachine):
    accounts = Bundle("accounts")

    def __init__(self) -> None:
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.expected: dict[int, int] = {}
        self.non_negative: dict[int, bool] = {}
        self.posted: dict[str, list[tuple[Account, int]]] = {}
        self.transaction_ids: dict[str, int] = {}

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    @rule(target=accounts, kind=st.sampled_from(AccountKind.values), owner=st.integers(1, 3))
    def open_account(self, kind, owner):
        account = account_get_or_create(
            kind=kind, owner_id=None if kind in PLATFORM_KINDS else owner
        )
        self.expected.setdefault(account.pk, 0)
        self.non_negative[account.pk] = account.non_negative
        return account

    @rule(
        chosen=st.lists(accounts, min_size=2, max_size=5),
        data=st.data(),
        key=st.integers(0, 10**9),
    )
    def post_balanced(self, chosen, data, key):
        """Post a balanced set of lines; the model predicts refusal or the new balances."""
        head = data.draw(st.lists(amounts, min_size=len(chosen) - 1, max_size=len(chosen) - 1))
        legs = list(zip(chosen, [*head, -sum(head)], strict=True))
        idempotency_key = f"post:{key}"
        if idempotency_key in self.posted:
            return
        changes = Counter()
        for account, amount in legs:
            changes[account.pk] += amount
        overdrawn = any(
            self.non_negative[pk] and self.expected[pk] + change < 0
            for pk, change in changes.items()
        )
        if legs[-1][1] == 0:
            event("refused: zero line")
            with pytest.raises(InvalidPosting):
                self._post(idempotency_key, legs)
        elif overdrawn:
            event("refused: insufficient balance")
            with pytest.raises(InsufficientFunds):
                self._post(idempotency_key, legs)
        else:
            event("posted")
            posted = self._post(idempotency_key, legs)
            self.posted[idempotency_key] = legs
            self.transaction_ids[idempotency_key] = posted.pk
            for pk, change in changes.items():
                self.expected[pk] += change

    @rule(chosen=st.lists(accounts, min_size=2, max_size=4), data=st.data())
    def post_unbalanced(self, chosen, data):
        """Lines that do not sum to zero are always refused."""
        values = data.draw(
            st.lists(amounts, min_size=len(chosen), max_size=len(chosen)).filter(
                lambda values: sum(values) != 0
            )
        )
        with pytest.raises(InvalidPosting):
            self._post("unbalanced", list(zip(chosen, values, strict=True)))

    @precondition(lambda self: self.posted)
    @rule(data=st.data())
    def retry(self, data):
        """A retried key with its entries, in any order, returns the first transaction."""
        key = data.draw(st.sampled_from(sorted(self.posted)))
        legs = data.draw(st.permutations(self.posted[key]))
        assert self._post(key, legs).pk == self.transaction_ids[key]

    @precondition(lambda self: self.posted)
    @rule(data=st.data(), delta=amounts)
    def retry_with_other_entries(self, data, delta):
        """A retried key with changed amounts is a conflict."""
        key = data.draw(st.sampled_from(sorted(self.posted)))
        (first, first_amount), (second, second_amount), *rest = self.posted[key]
        changed = [(first, first_amount + delta), (second, second_amount - delta), *rest]
        if Counter((a.pk, amount) for a, amount in changed) == Counter(
            (a.pk, amount) for a, amount in self.posted[key]
        ):
            return
        with pytest.raises((IdempotencyConflict, InvalidPosting)):
            self._post(key, changed)

    def _post(self, key, legs):
        return transaction_post(idempotency_key=key, entries=legs, description="random")

    @invariant()
    def every_transaction_balances(self):
        sums = Entry.objects.values("transaction").annotate(total=Sum("amount"))
        assert not sums.exclude(total=0).exists()
        assert Transaction.objects.count() == len(self.posted)

    @invariant()
    def no_flagged_account_below_zero(self):
        assert not Account.objects.filter(non_negative=True, balance__lt=0).exists()

    @invariant()
    def balances_are_sums_and_match_the_model(self):
        assert not accounts_out_of_balance().exists()
        assert dict(Account.objects.values_list("pk", "balance")) == self.expected


def test_random_postings_keep_the_ledger_whole():
    """No sequence of postings, retries and refusals breaks the ledger's invariants."""
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(max_examples=40, stateful_step_count=20, deadline=None),
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(amounts, min_size=2, max_size=6).filter(lambda values: sum(values) != 0))
def test_any_unbalanced_posting_writes_nothing(values):
    """Whatever the amounts, if they do not sum to zero nothing reaches the database."""
    merchant = account_get_or_create(kind=AccountKind.MERCHANT_PAYABLE, owner_id=1)
    revenue = account_get_or_create(kind=AccountKind.PLATFORM_REVENUE)
    legs = [(merchant if index % 2 else revenue, value) for index, value in enumerate(values)]
    with pytest.raises(InvalidPosting, match="sum to zero"):
        transaction_post(idempotency_key="u", entries=legs, description="u")
    assert not Entry.objects.exists()
    assert set(Account.objects.values_list("balance", flat=True)) == {0}
