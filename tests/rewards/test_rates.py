"""The rate formula: campaign > product > category > default; the cap; the link's lock."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from rewards.models import Campaign, CommissionRule, RuleScope
from rewards.rates import RateBook, rate_for
from rewards.rules import rule_set
from tests.factories_commerce import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
LONG_AGO = NOW - timedelta(days=400)


def rule(scope, rate_bp, *, since=LONG_AGO, until=None, **target):
    return CommissionRule.objects.create(
        scope=scope, rate_bp=rate_bp, valid_from=since, valid_to=until, **target
    )


def campaign(rate_bp, *, starts=NOW - timedelta(days=1), ends=NOW + timedelta(days=1), **to):
    made = Campaign.objects.create(name="Harvest", rate_bp=rate_bp, starts_at=starts, ends_at=ends)
    for field, targets in to.items():
        getattr(made, field).set(targets)
    return made


@pytest.fixture
def parent():
    return CategoryFactory()


@pytest.fixture
def product(parent):
    return ProductFactory(category=CategoryFactory(parent=parent))


def now_rate(product):
    return rate_for(product=product, at=NOW, link_created_at=None)


def test_the_default_rule_applies_when_nothing_else_does(product):
    """The migration's default rule: 5 %."""
    rate = now_rate(product)
    assert (rate.rate_bp, rate.source, rate.locked) == (500, "default", False)
    default = CommissionRule.objects.filter(scope=RuleScope.DEFAULT).first()
    assert rate.rule_id == (default.pk if default else None)


def test_a_category_rule_beats_the_default_and_reaches_subcategories(product, parent):
    """A rule on the parent category applies to products of its children; the nearer wins."""
    on_parent = rule(RuleScope.CATEGORY, 600, category=parent)
    assert (now_rate(product).rate_bp, now_rate(product).rule_id) == (600, on_parent.pk)
    rule(RuleScope.CATEGORY, 700, category=product.category)
    assert (now_rate(product).rate_bp, now_rate(product).source) == (700, "category")


def test_the_product_rule_beats_the_category(product):
    """The shop's rate for the product beats its category's."""
    rule(RuleScope.CATEGORY, 700, category=product.category)
    own = rule(RuleScope.PRODUCT, 800, product=product)
    rate = now_rate(product)
    assert (rate.rate_bp, rate.source, rate.rule_id) == (800, "product", own.pk)


def test_the_best_active_campaign_beats_the_product_even_when_lower(product, parent):
    """A campaign wins over every rule; among campaigns, the highest rate; by product,
    category (with descendants) or shop; only while it runs."""
    rule(RuleScope.PRODUCT, 1500, product=product)
    campaign(900, products=[product])
    by_category = campaign(1200, categories=[parent])
    campaign(2500, starts=NOW - timedelta(days=9), ends=NOW - timedelta(days=2), products=[product])
    campaign(2000, merchants=[ProductFactory().merchant])
    rate = now_rate(product)
    assert (rate.rate_bp, rate.source, rate.campaign_id) == (1200, "campaign", by_category.pk)
    by_shop = campaign(1300, merchants=[product.merchant])
    assert now_rate(product).campaign_id == by_shop.pk


@override_settings(REWARDS_RATE_CAP_BP=3000)
def test_the_cap_holds_for_rules_campaigns_and_locked_rates(product):
    """Nothing is ever computed above the cap."""
    rule(RuleScope.PRODUCT, 4500, product=product)
    assert now_rate(product).rate_bp == 3000
    campaign(5000, products=[product])
    assert now_rate(product).rate_bp == 3000
    with override_settings(REWARDS_RATE_CAP_BP=1000):
        assert now_rate(product).rate_bp == 1000


def test_history_tells_the_rate_at_a_past_moment(product):
    """rule_set closes the rule in force and opens the next one."""
    rule_set(scope=RuleScope.PRODUCT, product=product, rate_bp=2000, at=NOW - timedelta(days=40))
    rule_set(scope=RuleScope.PRODUCT, product=product, rate_bp=800, at=NOW - timedelta(days=10))
    book = RateBook([(product.pk, product.category_id, product.merchant_id)])
    assert book.rate_now(product.pk, NOW - timedelta(days=20)).rate_bp == 2000
    assert book.rate_now(product.pk, NOW).rate_bp == 800
    assert book.rate_now(product.pk, NOW - timedelta(days=41)).rate_bp == 500
    first = CommissionRule.objects.get(product=product, rate_bp=2000)
    assert first.valid_to == NOW - timedelta(days=10)


@pytest.mark.parametrize(("age_days", "rate_bp", "locked"), [(30, 2000, True), (31, 800, False)])
def test_a_link_keeps_a_higher_rate_of_its_creation_for_30_days_not_31(
    product, age_days, rate_bp, locked
):
    """The rate was 20 % when the link was made and is 8 % now."""
    rule_set(scope=RuleScope.PRODUCT, product=product, rate_bp=2000, at=NOW - timedelta(days=60))
    rule_set(scope=RuleScope.PRODUCT, product=product, rate_bp=800, at=NOW - timedelta(days=5))
    rate = rate_for(product=product, at=NOW, link_created_at=NOW - timedelta(days=age_days))
    assert (rate.rate_bp, rate.locked) == (rate_bp, locked)


def test_a_link_made_when_the_rate_was_lower_gets_todays_higher_rate(product):
    """The lock only ever raises: max(rate now, rate then)."""
    rule_set(scope=RuleScope.PRODUCT, product=product, rate_bp=600, at=NOW - timedelta(days=60))
    rule_set(scope=RuleScope.PRODUCT, product=product, rate_bp=1200, at=NOW - timedelta(days=5))
    rate = rate_for(product=product, at=NOW, link_created_at=NOW - timedelta(days=10))
    assert (rate.rate_bp, rate.locked) == (1200, False)


def test_a_replayed_or_older_change_does_not_rewrite_history(product):
    """A change dated at or before the open rule's start changes nothing."""
    rule_set(scope=RuleScope.PRODUCT, product=product, rate_bp=900, at=NOW)
    assert rule_set(scope=RuleScope.PRODUCT, product=product, rate_bp=900, at=NOW) is None
    assert rule_set(scope=RuleScope.PRODUCT, product=product, rate_bp=100, at=LONG_AGO) is None
    assert list(CommissionRule.objects.filter(product=product).values_list("rate_bp")) == [(900,)]


def test_rates_of_many_products_take_a_fixed_number_of_queries(django_assert_num_queries):
    """RateBook reads categories, rules and campaigns once, however many products."""
    products = [ProductFactory() for _ in range(5)]
    for product in products:
        rule(RuleScope.PRODUCT, 700, product=product)
    campaign(900, products=products[:2])
    with django_assert_num_queries(6):
        book = RateBook([(p.pk, p.category_id, p.merchant_id) for p in products])
        rates = [book.rate(p.pk, at=NOW, link_created_at=NOW).rate_bp for p in products]
    assert rates == [900, 900, 700, 700, 700]
