"""The operators' admin for rules and campaigns: rules are only added, each addition closes the
rule in force for the same target; every change is audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.audit.models import AuditEntry
from rewards.models import Campaign, CommissionRule, RuleScope
from tests.factories import UserFactory
from tests.factories_commerce import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def when(moment):
    return {
        "valid_from_0": moment.strftime("%Y-%m-%d"),
        "valid_from_1": moment.strftime("%H:%M:%S"),
    }


def test_adding_a_category_rule_closes_the_one_in_force_and_is_audited(client, operator):
    """A new rate for a category from a moment: the old rule ends there; an audit row says who."""
    category = CategoryFactory()
    old = CommissionRule.objects.create(
        scope=RuleScope.CATEGORY,
        category=category,
        rate_bp=600,
        valid_from=timezone.now() - timedelta(days=10),
    )
    start = (timezone.now() - timedelta(days=1)).replace(microsecond=0)

    response = client.post(
        reverse("admin:rewards_commissionrule_add"),
        {"scope": "category", "category": category.pk, "rate_bp": 900, **when(start)},
    )

    assert response.status_code == 302
    old.refresh_from_db()
    new = CommissionRule.objects.get(category=category, valid_to__isnull=True)
    assert (new.rate_bp, new.created_by, old.valid_to) == (900, operator, new.valid_from)
    entry = AuditEntry.objects.get(action="commission_rule.set")
    assert (entry.actor, entry.before, entry.after["rate_bp"]) == (operator, {"rate_bp": 600}, 900)


def test_rules_cannot_be_edited_or_deleted(client, operator):
    """History is never rewritten from the admin."""
    rule = CommissionRule.objects.create(
        scope=RuleScope.PRODUCT, product=ProductFactory(), rate_bp=700, valid_from=timezone.now()
    )
    url = reverse("admin:rewards_commissionrule_change", args=[rule.pk])
    client.post(url, {"scope": "product", "product": rule.product_id, "rate_bp": 1})
    client.post(reverse("admin:rewards_commissionrule_delete", args=[rule.pk]), {"post": "yes"})
    rule.refresh_from_db()
    assert rule.rate_bp == 700


def test_a_campaign_added_and_changed_leaves_audit_rows(client, operator):
    """Creation and change are audited with the campaign's targets."""
    product = ProductFactory()
    start, end = timezone.now(), timezone.now() + timedelta(days=7)
    form = {
        "name": "Spring",
        "rate_bp": 1500,
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "00:00:00",
        "ends_at_0": end.strftime("%Y-%m-%d"),
        "ends_at_1": "00:00:00",
        "products": [product.pk],
    }
    assert client.post(reverse("admin:rewards_campaign_add"), form).status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.created_by == operator
    form["rate_bp"] = 1800
    url = reverse("admin:rewards_campaign_change", args=[campaign.pk])
    assert client.post(url, form).status_code == 302

    created, changed = AuditEntry.objects.filter(target_type="rewards.campaign").order_by("pk")
    assert (created.action, created.after["products"]) == ("campaign.create", [product.pk])
    assert (changed.action, changed.before["rate_bp"], changed.after["rate_bp"]) == (
        "campaign.update",
        1500,
        1800,
    )
