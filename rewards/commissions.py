"""Commissions: accrued on a credited line, lowered by refunds, confirmed on completion.

The handlers run inside the event dispatcher's transaction, once per event and handler; a
delivery that arrives twice, late or out of order still changes the money once:
- accrual skips lines that already have their commission (one per line, a unique column);
- a reduction is computed from the line as it stands (goods still paid), not from the event, so
  a replay finds nothing left to reduce, and a refund processed before the accrual is applied
  by the accrual itself;
- confirmation moves only pending commissions, and an accrual on an order already completed
  confirms at once.
Every posting also carries an idempotency key (rewards.postings).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from backend.events.models import Event
from backend.events.services import publish, publish_many
from backend.money import apply_rate_bp
from commerce.models import OrderLine, OrderStatus
from rewards import postings
from rewards.models import Commission, CommissionStatus
from rewards.rates import RateBook
from shoplinks.models import Decision, Reason

_DECISION_FIELDS = (
    "pk",
    "line_id",
    "order_id",
    "product_id",
    "sharer_id",
    "link_id",
    "click_id",
    "net_amount",
    "placed_at",
    "link__created_at",
    "line__merchant_id",
    "line__category_id",
    "line__refunded_amount",
    "order__status",
    "order__currency",
)


def _event_payload(commission: Commission, amount: int) -> dict:
    return {
        "commission": commission.pk,
        "sharer": commission.sharer_id,
        "amount": amount,
        "currency": commission.currency,
        "order": commission.order_id,
        "product": commission.product_id,
    }


@transaction.atomic
def commissions_accrue(*, decision_ids: Iterable[int]) -> list[Commission]:
    """Accrue ⌊rate × line net⌋ as pending for each credited final decision whose line has no
    commission yet; returns the new commissions.

    One ledger posting and one INSERT per call whatever the number of lines (the rules are read
    once, rewards.rates.RateBook), plus one `commission.accrued` per commission.
    """
    rows = list(
        Decision.objects.filter(
            pk__in=list(decision_ids), final=True, reason=Reason.CREDITED
        ).values_list(*_DECISION_FIELDS)
    )
    done = set(
        Commission.objects.filter(line_id__in=[row[1] for row in rows]).values_list(
            "line_id", flat=True
        )
    )
    rows = [row for row in rows if row[1] not in done]
    if not rows:
        return []
    book = RateBook(list({(row[3], row[11], row[10]) for row in rows}))
    now = timezone.now()
    fresh = []
    for (
        decision,
        line,
        order,
        product,
        sharer,
        link,
        click,
        net,
        placed_at,
        link_created_at,
        merchant,
        _category,
        _refunded,
        _status,
        currency,
    ) in rows:
        rate = book.rate(product, at=placed_at, link_created_at=link_created_at)
        amount = apply_rate_bp(net, rate.rate_bp)
        fresh.append(
            Commission(
                line_id=line,
                order_id=order,
                product_id=product,
                merchant_id=merchant,
                sharer_id=sharer,
                decision_id=decision,
                link_id=link,
                click_id=click,
                base=net,
                rate_bp=rate.rate_bp,
                rule_source=rate.source,
                rule_id=rate.rule_id,
                campaign_id=rate.campaign_id,
                rate_locked=rate.locked,
                accrued_amount=amount,
                amount=amount,
                currency=currency,
                created_at=now,
            )
        )
    created = Commission.objects.bulk_create(fresh)
    postings.accrual_post(created)
    publish_many("commission.accrued", [_event_payload(c, c.accrued_amount) for c in created])
    # Refunds or a completion processed before this accrual (events may arrive in any order).
    late = {row[1] for row in rows if row[12] or row[13] == OrderStatus.COMPLETED}
    for commission in created:
        if commission.line_id in late:
            _catch_up(commission)
    return created


def _catch_up(commission: Commission) -> None:
    line = OrderLine.objects.select_related("order").get(pk=commission.line_id)
    commission_reduce(commission=commission, still_paid=line.net_amount - line.refunded_amount)
    if line.order.status == OrderStatus.COMPLETED:
        commission_confirm(commission=commission)


def commission_reduce(*, commission: Commission, still_paid: int) -> int:
    """Lower the commission to ⌊rate × goods still paid⌋; fully refunded → `reversed`.

    Returns the amount taken back (0 when there is nothing to reduce). Call with the commission
    row locked. A paid commission is left alone: its money has left the platform.
    """
    if commission.status in (CommissionStatus.REVERSED, CommissionStatus.PAID):
        return 0
    target = apply_rate_bp(still_paid, commission.rate_bp)
    taken = commission.amount - target
    if taken > 0:
        postings.reduction_post(commission=commission, amount=taken, still_paid=still_paid)
    fields = []
    if taken > 0:
        commission.amount = target
        fields.append("amount")
    if still_paid == 0:
        commission.status = CommissionStatus.REVERSED
        commission.reversed_at = timezone.now()
        fields += ["status", "reversed_at"]
    if fields:
        commission.save(update_fields=fields)
    if taken > 0 or still_paid == 0:
        publish("commission.reversed", _event_payload(commission, taken))
    return taken


def commission_confirm(*, commission: Commission) -> bool:
    """pending → confirmed, its money pending → available. Call with the row locked."""
    if commission.status != CommissionStatus.PENDING:
        return False
    if commission.amount:
        postings.confirmation_post(commission=commission)
    commission.status = CommissionStatus.CONFIRMED
    commission.confirmed_at = timezone.now()
    commission.save(update_fields=["status", "confirmed_at"])
    publish("commission.confirmed", _event_payload(commission, commission.amount))
    return True


def on_attribution_decided(event: Event) -> None:
    """shoplinks' `attribution.decided`: a credited line earns its sharer a commission."""
    if event.payload["reason"] == Reason.CREDITED:
        commissions_accrue(decision_ids=[event.payload["decision"]])


@transaction.atomic
def on_order_refunded(event: Event) -> None:
    """commerce's `order.refunded`: each refunded line's commission follows its goods still paid."""
    line_ids = [line["line"] for line in event.payload["lines"]]
    still_paid = {
        pk: net - refunded
        for pk, net, refunded in OrderLine.objects.filter(pk__in=line_ids).values_list(
            "pk", "net_amount", "refunded_amount"
        )
    }
    locked = Commission.objects.select_for_update().filter(line_id__in=line_ids).order_by("pk")
    for commission in locked:
        commission_reduce(commission=commission, still_paid=still_paid[commission.line_id])


@transaction.atomic
def on_order_completed(event: Event) -> None:
    """commerce's `order.completed`: the order's pending commissions become available."""
    locked = (
        Commission.objects.select_for_update()
        .filter(order_id=event.payload["order"], status=CommissionStatus.PENDING)
        .order_by("pk")
    )
    for commission in locked:
        commission_confirm(commission=commission)
