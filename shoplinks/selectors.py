"""Reads of share links and their figures, for their sharer only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from backend.accounts.models import User
from commerce.catalog import selectors as catalog
from shoplinks.models import Click, Decision, Reason, ShareLink


def _count(rows: QuerySet, expression: Count) -> Coalesce:
    """A correlated count over `rows` (already filtered on OuterRef) as one subquery column."""
    counted = rows.order_by().values("link").annotate(n=expression).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def links_of(*, sharer: User) -> QuerySet[ShareLink]:
    """The sharer's links, newest first, each with `click_count` (counted clicks only: flagged
    taps never show) and `order_count` (distinct orders with a line credited to the link);
    product and post joined (the model's `clicks` is the related manager, hence the names).
    One query whatever the number of links (subqueries, not joins, so a link's clicks do not
    multiply its orders)."""
    clicks = _count(Click.objects.filter(link=OuterRef("pk"), counted=True), Count("*"))
    orders = _count(
        Decision.objects.filter(link=OuterRef("pk"), final=True, reason=Reason.CREDITED),
        Count("order", distinct=True),
    )
    return (
        ShareLink.objects.filter(sharer=sharer)
        .select_related("product", "post")
        .annotate(click_count=clicks, order_count=orders)
        .order_by("-created_at", "-id")
    )


# --- Attribution decisions, as their sharers see them -------------------------------------------

# Plain words for each reason; `{window_days}` is the attribution window in force.
REASON_WORDS = {
    Reason.CREDITED: "Credited",
    Reason.SELF_PURCHASE: "The buyer is you",
    Reason.LATER_CLICK_BY_OTHER_SHARER: "A later tap on another sharer's link won",
    Reason.WINDOW_EXPIRED: "The tap was more than {window_days} days before the order",
    Reason.FLAGGED_CLICK: "The tap was flagged (bot, repeat or too many taps)",
    Reason.NO_CLICK: "No tap on a link",
}


def reason_in_words(reason: str) -> str:
    return REASON_WORDS[reason].format(window_days=settings.SHARE_ATTRIBUTION_WINDOW_DAYS)


@dataclass(frozen=True)
class SharerDecision:
    """One paid order line that touched one of the sharer's links, and what became of it."""

    id: int
    order_id: int
    line_id: int
    product_id: int
    product_name: str
    link_code: str
    post_id: int | None
    reason: str
    reason_words: str
    credited: bool
    net_amount: int
    placed_at: datetime
    decided_at: datetime


def decisions_for(*, sharer: User, limit: int = 100) -> list[SharerDecision]:
    """The decisions about the sharer's links, newest first: the lines credited to them, the
    lines where their link lost to another sharer's later tap, and those not credited because
    of the buyer (self-purchase), the window or flags. Never another sharer's rows, and never
    who bought. Two queries."""
    decisions = list(
        Decision.objects.filter(sharer=sharer)
        .select_related("link")
        .order_by("-decided_at", "-pk")[:limit]
    )
    products = catalog.products_by_ids([decision.product_id for decision in decisions])
    return [
        SharerDecision(
            id=decision.pk,
            order_id=decision.order_id,
            line_id=decision.line_id,
            product_id=decision.product_id,
            product_name=products[decision.product_id].name,
            link_code=decision.link.code,
            post_id=decision.link.post_id,
            reason=decision.reason,
            reason_words=reason_in_words(decision.reason),
            credited=decision.reason == Reason.CREDITED,
            net_amount=decision.net_amount,
            placed_at=decision.placed_at,
            decided_at=decision.decided_at,
        )
        for decision in decisions
    ]


# --- Purchases through links, per post (discover's ranking) -------------------------------------


def credited_purchases_by_post(*, published_since: datetime) -> dict[int, int]:
    """{post id: order lines credited to links shared from that post}, for the posts published
    since then (discover ranks recent posts only); posts without any are absent. One query."""
    rows = (
        Decision.objects.filter(
            final=True,
            reason=Reason.CREDITED,
            link__post__isnull=False,
            link__post__published_at__gte=published_since,
        )
        .order_by()
        .values("link__post")
        .annotate(n=Count("*"))
        .values_list("link__post", "n")
    )
    return dict(rows)
