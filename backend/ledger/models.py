"""The double-entry ledger: accounts, transactions and their entries.

Sign convention. An entry's amount is signed and a transaction's entries sum to zero. A positive
amount credits the account: it raises what the platform owes the account's owner (a merchant's
payable, a sharer's pending/available/in-payout/paid-out money) or what the platform has earned
(platform revenue). Gateway clearing is the one asset on the chart, so it carries the opposite
sign: a balance of -10000 means the payment provider holds 100.00 for us. With that convention
the balances of all accounts always sum to zero, and every account a person can draw from is
"never below zero" in plain terms.

Entries and transactions are append-only: a correction is a new transaction. The model layer
refuses updates and deletes (below), and on PostgreSQL a trigger refuses them too (migration
0002), so not even raw SQL can rewrite history. An account's `balance` is a cache of the sum of
its entries, written only by `services.transaction_post` under the account's row lock.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from backend.ledger.errors import AppendOnlyViolation


class AccountKind(models.TextChoices):
    GATEWAY_CLEARING = "gateway_clearing", "Gateway clearing"
    MERCHANT_PAYABLE = "merchant_payable", "Merchant payable"
    PLATFORM_REVENUE = "platform_revenue", "Platform revenue"
    SHARER_PENDING = "sharer_pending", "Sharer pending"
    SHARER_AVAILABLE = "sharer_available", "Sharer available"
    SHARER_IN_PAYOUT = "sharer_in_payout", "Sharer in payout"
    SHARER_PAID_OUT = "sharer_paid_out", "Sharer paid out"


# The platform's own accounts have no owner; every other kind belongs to a merchant or a sharer.
PLATFORM_KINDS = frozenset({AccountKind.GATEWAY_CLEARING, AccountKind.PLATFORM_REVENUE})

# Kinds that may never go below zero. A sharer can never be owed less than nothing in any bucket:
# a payout or a reversal that would need more than is there is refused. A merchant's payable may
# go negative (a refund after settlement leaves the merchant owing the platform), platform revenue
# must absorb fee reversals whatever happens, and gateway clearing is negative by convention.
NON_NEGATIVE_KINDS = frozenset(
    {
        AccountKind.SHARER_PENDING,
        AccountKind.SHARER_AVAILABLE,
        AccountKind.SHARER_IN_PAYOUT,
        AccountKind.SHARER_PAID_OUT,
    }
)


class Account(models.Model):
    kind = models.CharField(max_length=32, choices=AccountKind.choices)
    # The merchant's or the sharer's id. A plain integer, not a foreign key: the ledger lives in
    # `backend`, which imports no app; the id's meaning comes from the kind.
    owner_id = models.PositiveBigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    non_negative = models.BooleanField(default=False)
    balance = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "owner_id", "currency"],
                condition=Q(owner_id__isnull=False),
                name="ledger_account_unique_owned",
            ),
            # NULLs are distinct in a unique index, so platform accounts need their own.
            models.UniqueConstraint(
                fields=["kind", "currency"],
                condition=Q(owner_id__isnull=True),
                name="ledger_account_unique_platform",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=sorted(PLATFORM_KINDS), owner_id__isnull=True)
                    | (~Q(kind__in=sorted(PLATFORM_KINDS)) & Q(owner_id__isnull=False))
                ),
                name="ledger_account_owner_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(non_negative=False) | Q(balance__gte=0),
                name="ledger_account_non_negative_balance",
            ),
        ]

    def __str__(self) -> str:
        owner = "" if self.owner_id is None else f" #{self.owner_id}"
        return f"{self.get_kind_display()}{owner} ({self.currency})"


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk writes that would rewrite history are refused; inserts are the only way in."""

    def update(self, **kwargs):
        raise AppendOnlyViolation(f"{self.model.__name__} rows cannot be updated.")

    def delete(self):
        raise AppendOnlyViolation(f"{self.model.__name__} rows cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyViolation(f"{self.model.__name__} rows cannot be updated.")


class AppendOnlyModel(models.Model):
    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        abstract = True

    def save(self, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyViolation(f"{type(self).__name__} #{self.pk} cannot be changed.")
        # Forced insert: a row built with an existing pk must fail, not silently overwrite it.
        kwargs["force_insert"] = True
        super().save(**kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyViolation(f"{type(self).__name__} #{self.pk} cannot be deleted.")


class Transaction(AppendOnlyModel):
    # The caller's name for this posting (e.g. "payment:41", "commission:7:accrue"): posting the
    # same key again returns this transaction instead of moving the money twice.
    idempotency_key = models.CharField(max_length=200, unique=True)
    description = models.CharField(max_length=200)
    reference = models.CharField(max_length=200, blank=True)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"#{self.pk} {self.description}"


class Entry(AppendOnlyModel):
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField()

    class Meta:
        verbose_name_plural = "entries"
        indexes = [models.Index(fields=["account", "id"], name="ledger_entry_account_id")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_amount_nonzero"),
        ]

    def __str__(self) -> str:
        return f"{self.amount:+d} on {self.account}"
