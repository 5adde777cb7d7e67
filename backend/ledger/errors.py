"""The ledger's errors and their codes.

Refusals a caller may meet in normal business (too little money, a reused idempotency key, a
malformed posting) are `ApplicationError`s, so an API view that lets them through renders the
usual error shape. `AppendOnlyViolation` is different: only a bug rewrites history, so it is a
plain exception that surfaces as a server error.
"""

from __future__ import annotations

from backend.errors import Conflict, InvalidInput


class InvalidPosting(InvalidInput):
    """A posting that is not a valid double-entry transaction; nothing was written.

    Codes: `empty_transaction`, `unbalanced_transaction`, `zero_entry`, `invalid_entry`,
    `currency_mismatch`, `invalid_idempotency_key`, `invalid_description`, `invalid_reference`.
    """

    code = "invalid_posting"


class InsufficientFunds(InvalidInput):
    """A non-negative account would go below zero; nothing was written.

    400 rather than 409, as the API contract answers a payout beyond the available balance with
    `400 insufficient_balance`.
    """

    code = "insufficient_balance"
    message = "The balance is too low for this amount."

    def __init__(self, *, account_id: int, balance: int, change: int) -> None:
        super().__init__()
        self.account_id = account_id
        self.balance = balance
        self.change = change


class IdempotencyConflict(Conflict):
    """The idempotency key was already used for a posting with different entries."""

    code = "idempotency_conflict"
    message = "This idempotency key was already used for a different posting."


class AppendOnlyViolation(Exception):
    """Something tried to update or delete a ledger entry or transaction."""
