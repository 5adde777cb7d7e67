"""Commission rules, commissions, payees and payouts.

Money is in minor units and rates in basis points (backend/money.py). Balances are never stored
here: the sharer's pending / available / in payout / paid out are ledger accounts
(backend/ledger), moved only by rewards' postings; these rows say why each movement happened.
Rules keep their history (valid_from / valid_to) so the rate at any past moment can be told,
which the formula needs for "the rate when the link was made".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class RuleScope(models.TextChoices):
    DEFAULT = "default"
    CATEGORY = "category"
    PRODUCT = "product"  # the shop's rate for its product (commerce's commission_rate_bp)


class CommissionRule(models.Model):
    """A rate in force from `valid_from` until `valid_to` (open-ended when null) for everything
    (default), one category, or one product. A change closes the current row and opens a new
    one; rows are never edited otherwise."""

    scope = models.CharField(max_length=10, choices=RuleScope.choices)
    category = models.ForeignKey(
        "commerce.Category", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    product = models.ForeignKey(
        "commerce.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rate_bp = models.PositiveIntegerField()
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="default", category__isnull=True, product__isnull=True)
                    | Q(scope="category", category__isnull=False, product__isnull=True)
                    | Q(scope="product", category__isnull=True, product__isnull=False)
                ),
                name="rule_scope_matches_target",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="rule_valid_range",
            ),
        ]
        indexes = [
            models.Index(fields=["scope", "product", "valid_from"], name="rule_product_idx"),
            models.Index(fields=["scope", "category", "valid_from"], name="rule_category_idx"),
        ]


class Campaign(models.Model):
    """A time-boxed rate for some products (by product, by category incl. its descendants, or
    by shop); the best active campaign beats every rule."""

    name = models.CharField(max_length=120)
    rate_bp = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    products = models.ManyToManyField("commerce.Product", blank=True, related_name="+")
    categories = models.ManyToManyField("commerce.Category", blank=True, related_name="+")
    merchants = models.ManyToManyField("commerce.Merchant", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="campaign_valid_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CommissionStatus(models.TextChoices):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REVERSED = "reversed"
    PAID = "paid"


class Commission(models.Model):
    """What one credited order line earns its sharer: ⌊rate × base⌋ at accrual, lowered by
    refunds to ⌊rate × goods still paid⌋ (`amount`), with where the rate came from."""

    line = models.OneToOneField("commerce.OrderLine", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("commerce.Order", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("commerce.Product", on_delete=models.PROTECT, related_name="+")
    merchant = models.ForeignKey("commerce.Merchant", on_delete=models.PROTECT, related_name="+")
    sharer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commissions"
    )
    decision = models.OneToOneField(
        "shoplinks.Decision", on_delete=models.PROTECT, related_name="+"
    )
    link = models.ForeignKey("shoplinks.ShareLink", on_delete=models.PROTECT, related_name="+")
    click = models.ForeignKey("shoplinks.Click", on_delete=models.PROTECT, related_name="+")
    base = models.PositiveIntegerField()  # the line's net amount when paid
    rate_bp = models.PositiveIntegerField()
    # "campaign" / "product" / "category" / "default", and the row it came from.
    rule_source = models.CharField(max_length=10)
    rule = models.ForeignKey(
        CommissionRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # True when the link's rate at its creation (≤ 30 days before) beat the rate now.
    rate_locked = models.BooleanField(default=False)
    accrued_amount = models.PositiveIntegerField()
    amount = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=CommissionStatus.choices, default=CommissionStatus.PENDING
    )
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reversed_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    payout = models.ForeignKey(
        "Payout", on_delete=models.PROTECT, null=True, blank=True, related_name="commissions"
    )

    class Meta:
        indexes = [
            models.Index(fields=["sharer", "status", "created_at"], name="commission_sharer_idx"),
            models.Index(fields=["sharer", "-created_at"], name="commission_sharer_recent_idx"),
            models.Index(fields=["order"], name="commission_order_idx"),
        ]


class Payee(models.Model):
    """Where a sharer's payouts go; required before the first payout."""

    class Method(models.TextChoices):
        ALIPAY = "alipay", "Alipay"
        BANK = "bank", "Bank account"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payee"
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    account = models.CharField(max_length=64)
    real_name = models.CharField(max_length=80)
    updated_at = models.DateTimeField(auto_now=True)


class PayoutStatus(models.TextChoices):
    REQUESTED = "requested"
    PAID = "paid"
    REJECTED = "rejected"


class Payout(models.Model):
    sharer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts"
    )
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=10, choices=PayoutStatus.choices, default=PayoutStatus.REQUESTED
    )
    # The payee as it was when asked for: a later change of account does not redirect it.
    method = models.CharField(max_length=10)
    account = models.CharField(max_length=64)
    real_name = models.CharField(max_length=80)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reject_reason = models.CharField(max_length=200, blank=True)
    provider_reference = models.CharField(max_length=64, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["sharer", "-requested_at"], name="payout_sharer_idx"),
            models.Index(fields=["status", "requested_at"], name="payout_queue_idx"),
        ]
