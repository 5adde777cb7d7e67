"""The commission rate of a sale (DESIGN.md "Rules of the money").

Rate = min(cap, max(rate now, rate when the link was made if the link is at most
REWARDS_RATE_LOCK_DAYS old)); rate now = the best campaign active for the product, else the
product's rule, else the nearest category rule up the product's category tree, else the default
rule, else REWARDS_DEFAULT_RATE_BP. Every lookup is "in force at a moment", read from the rules'
history, so the rate of the link's creation day is told by the same code as today's.

`RateBook` answers for many sales with the rules loaded once (the bulk accrual of many lines);
`rate_for` is the one-sale form.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from commerce.models import Category, Product
from rewards.models import Campaign, CommissionRule, RuleScope

CAMPAIGN = "campaign"


@dataclass(frozen=True)
class Rate:
    rate_bp: int
    source: str  # "campaign" / "product" / "category" / "default"
    rule_id: int | None
    campaign_id: int | None
    locked: bool = False


@dataclass(frozen=True)
class _Window:
    rate_bp: int
    starts: datetime
    ends: datetime | None
    pk: int

    def covers(self, at: datetime) -> bool:
        return self.starts <= at and (self.ends is None or at < self.ends)


class RateBook:
    """Every rule and campaign that can apply to `products`, loaded in a fixed number of queries.

    Products are given as (id, category id, merchant id) triples, so a caller holding order lines
    needs no Product rows.
    """

    def __init__(self, products: list[tuple[int, int, int]]) -> None:
        self._category_of = {product: category for product, category, _ in products}
        self._merchant_of = {product: merchant for product, _, merchant in products}
        parents = dict(Category.objects.values_list("pk", "parent_id"))
        self._chain = {
            category: _ancestors(category, parents) for category in set(self._category_of.values())
        }
        product_ids = list(self._category_of)
        categories = {c for chain in self._chain.values() for c in chain}
        self._product_rules: dict[int, list[_Window]] = defaultdict(list)
        self._category_rules: dict[int, list[_Window]] = defaultdict(list)
        self._default_rules: list[_Window] = []
        rules = CommissionRule.objects.filter(
            Q(scope=RuleScope.DEFAULT)
            | Q(scope=RuleScope.PRODUCT, product_id__in=product_ids)
            | Q(scope=RuleScope.CATEGORY, category_id__in=categories)
        ).values_list(
            "pk", "scope", "product_id", "category_id", "rate_bp", "valid_from", "valid_to"
        )
        for pk, scope, product, category, rate_bp, starts, ends in rules:
            window = _Window(rate_bp, starts, ends, pk)
            if scope == RuleScope.PRODUCT:
                self._product_rules[product].append(window)
            elif scope == RuleScope.CATEGORY:
                self._category_rules[category].append(window)
            else:
                self._default_rules.append(window)
        self._campaigns = self._load_campaigns(product_ids, categories)

    def _load_campaigns(self, product_ids, categories) -> list[tuple[_Window, set, set, set]]:
        merchants = set(self._merchant_of.values())
        campaigns = (
            Campaign.objects.filter(
                Q(products__in=product_ids)
                | Q(categories__in=categories)
                | Q(merchants__in=merchants)
            )
            .distinct()
            .prefetch_related("products", "categories", "merchants")
        )
        return [
            (
                _Window(c.rate_bp, c.starts_at, c.ends_at, c.pk),
                {p.pk for p in c.products.all()},
                {k.pk for k in c.categories.all()},
                {m.pk for m in c.merchants.all()},
            )
            for c in campaigns
        ]

    def rate_now(self, product: int, at: datetime) -> Rate:
        """The rate in force for `product` at `at`, before the link lock and the cap."""
        chain = self._chain[self._category_of[product]]
        best = None
        for window, products, categories, merchants in self._campaigns:
            applies = (
                product in products
                or not categories.isdisjoint(chain)
                or self._merchant_of[product] in merchants
            )
            if applies and window.covers(at) and (best is None or window.rate_bp > best.rate_bp):
                best = window
        if best is not None:
            return Rate(best.rate_bp, CAMPAIGN, None, best.pk)
        found = _in_force(self._product_rules.get(product, ()), at)
        if found is not None:
            return Rate(found.rate_bp, RuleScope.PRODUCT, found.pk, None)
        for category in chain:
            found = _in_force(self._category_rules.get(category, ()), at)
            if found is not None:
                return Rate(found.rate_bp, RuleScope.CATEGORY, found.pk, None)
        found = _in_force(self._default_rules, at)
        if found is not None:
            return Rate(found.rate_bp, RuleScope.DEFAULT, found.pk, None)
        return Rate(settings.REWARDS_DEFAULT_RATE_BP, RuleScope.DEFAULT, None, None)

    def rate(self, product: int, *, at: datetime, link_created_at: datetime | None) -> Rate:
        """The rate of a sale of `product` at `at` through a link made at `link_created_at`."""
        rate = self.rate_now(product, at)
        lock = timedelta(days=settings.REWARDS_RATE_LOCK_DAYS)
        if link_created_at is not None and timedelta(0) <= at - link_created_at <= lock:
            then = self.rate_now(product, link_created_at)
            if then.rate_bp > rate.rate_bp:
                rate = Rate(then.rate_bp, then.source, then.rule_id, then.campaign_id, locked=True)
        cap = settings.REWARDS_RATE_CAP_BP
        if rate.rate_bp > cap:
            rate = Rate(cap, rate.source, rate.rule_id, rate.campaign_id, rate.locked)
        return rate


def rate_for(*, product: Product, at: datetime, link_created_at: datetime | None) -> Rate:
    """The rate of one sale of `product` at `at` through a link made at `link_created_at`."""
    book = RateBook([(product.pk, product.category_id, product.merchant_id)])
    return book.rate(product.pk, at=at, link_created_at=link_created_at)


def _ancestors(category: int, parents: dict[int, int | None]) -> list[int]:
    """`category` then its parents up to the root, nearest first."""
    chain = []
    while category is not None and category not in chain:
        chain.append(category)
        category = parents.get(category)
    return chain


def _in_force(windows, at: datetime) -> _Window | None:
    """The window covering `at`; the latest-starting one should two overlap."""
    covering = [w for w in windows if w.covers(at)]
    return max(covering, key=lambda w: (w.starts, w.pk)) if covering else None
