"""Writes of the rate rules: each change closes the rule in force and opens the next, so the
history answers "what was the rate then" (rewards.rates)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from backend.audit.services import audit_record
from backend.errors import InvalidInput
from backend.events.models import Event
from commerce.models import Category, Product
from rewards.models import CommissionRule, RuleScope


def _target(scope: str, category: Category | None, product: Product | None) -> dict:
    if scope == RuleScope.DEFAULT and category is None and product is None:
        return {}
    if scope == RuleScope.CATEGORY and category is not None and product is None:
        return {"category": category}
    if scope == RuleScope.PRODUCT and product is not None and category is None:
        return {"product": product}
    raise InvalidInput(
        "A default rule names nothing, a category rule a category, a product rule a product.",
        code="invalid_rule_target",
    )


@transaction.atomic
def rule_set(
    *,
    scope: str,
    rate_bp: int | None,
    at: datetime | None = None,
    category: Category | None = None,
    product: Product | None = None,
    actor=None,
) -> CommissionRule | None:
    """From `at` (now by default) the rate of the target is `rate_bp`; None ends the target's rule
    without a successor (the next scope down applies). Returns the new rule, or None.

    The open rule of the target is closed at `at`. A change dated at or before the open rule's
    start (a replayed or late event) changes nothing: history is only ever extended.
    """
    at = at or timezone.now()
    target = _target(scope, category, product)
    if rate_bp is not None and rate_bp < 0:
        raise InvalidInput("A rate cannot be negative.", code="invalid_rate")
    current = (
        CommissionRule.objects.select_for_update()
        .filter(scope=scope, valid_to__isnull=True, **target)
        .order_by("-valid_from")
        .first()
    )
    if current is not None:
        if current.valid_from >= at:
            return None
        if current.rate_bp == rate_bp:
            return current
        current.valid_to = at
        current.save(update_fields=["valid_to"])
    rule = None
    if rate_bp is not None:
        rule = CommissionRule.objects.create(
            scope=scope, rate_bp=rate_bp, valid_from=at, created_by=actor, **target
        )
    if actor is not None and (rule or current) is not None:
        audit_record(
            actor=actor,
            action="commission_rule.set",
            target=rule or current,
            before={"rate_bp": current.rate_bp if current else None},
            after={"scope": scope, "rate_bp": rate_bp, "at": at.isoformat()},
        )
    return rule


def on_product_rate_set(event: Event) -> None:
    """commerce's `product.commission_rate_set` {product, rate_bp, at}: extend the history."""
    payload = event.payload
    product = Product.objects.get(pk=payload["product"])
    rule_set(
        scope=RuleScope.PRODUCT,
        product=product,
        rate_bp=payload["rate_bp"],
        at=datetime.fromisoformat(payload["at"]),
    )
