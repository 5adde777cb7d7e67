"""Reads of a sharer's earnings, for that sharer only: balances, figures, days, links, posts and
commissions.

Balances come from the ledger (the only truth about money); the figures (taps, orders,
commission) come from the click log and the commission rows. Every reader costs a fixed number
of queries whatever the sharer's history: sums and counts are done by the database.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from backend.accounts.models import User
from backend.ledger.models import AccountKind
from backend.ledger.selectors import owner_balances
from backend.money import currency
from rewards.models import Commission, CommissionStatus
from shoplinks.models import Click, ShareLink
from shoplinks.selectors import reason_in_words

BUCKETS = {
    AccountKind.SHARER_PENDING: "pending",
    AccountKind.SHARER_AVAILABLE: "available",
    AccountKind.SHARER_IN_PAYOUT: "in_payout",
    AccountKind.SHARER_PAID_OUT: "paid_out",
}
# The longest range `daily` answers: a year and a bit, so a chart never asks for a scan of ages.
MAX_DAYS = 400


def business_zone() -> ZoneInfo:
    return ZoneInfo(settings.BUSINESS_TIME_ZONE)


def ratio(part: int, whole: int) -> float:
    """part / whole to four places (0.0 when there is no whole yet)."""
    return round(part / whole, 4) if whole else 0.0


@dataclass(frozen=True)
class Summary:
    currency: str
    pending: int
    available: int
    in_payout: int
    paid_out: int
    clicks: int
    orders: int
    conversion_rate: float  # orders per counted tap
    earnings_per_click: int  # minor units, rounded down

    @property
    def earned(self) -> int:
        """Everything the sharer has earned and still keeps (reversals already taken off)."""
        return self.pending + self.available + self.in_payout + self.paid_out


def earnings_summary(user: User) -> Summary:
    """The four balances from the ledger and the sharer's funnel: counted taps, distinct orders
    with a commission, their ratio, and earnings per tap. Two queries: the balances, and both
    counts as subqueries of one statement (one round trip less on the hottest read)."""
    balances = owner_balances(owner_id=user.pk, kinds=BUCKETS)
    clicks = Click.objects.filter(sharer=OuterRef("pk"), counted=True).order_by()
    orders = Commission.objects.filter(sharer=OuterRef("pk")).order_by()
    clicks, orders = (
        User.objects.filter(pk=user.pk)
        .annotate(
            n_clicks=Subquery(
                clicks.values("sharer").annotate(n=Count("*")).values("n"),
                output_field=IntegerField(),
            ),
            n_orders=Subquery(
                orders.values("sharer").annotate(n=Count("order", distinct=True)).values("n"),
                output_field=IntegerField(),
            ),
        )
        .values_list("n_clicks", "n_orders")
        .get()
    )
    clicks, orders = clicks or 0, orders or 0
    buckets = {name: balances[kind] for kind, name in BUCKETS.items()}
    earned = sum(buckets.values())
    return Summary(
        currency=currency(),
        **buckets,
        clicks=clicks,
        orders=orders,
        conversion_rate=ratio(orders, clicks),
        earnings_per_click=earned // clicks if clicks else 0,
    )


@dataclass(frozen=True)
class Day:
    date: date
    clicks: int
    orders: int
    commission: int


def daily(user: User, from_date: date, to_date: date) -> list[Day]:
    """One row per calendar day from `from_date` to `to_date` (both included, days counted in
    settings.BUSINESS_TIME_ZONE), days without activity as zeros: counted taps, distinct orders
    that earned a commission, and the commission they earn now (after refunds). Two queries."""
    if to_date < from_date:
        raise ValueError("to_date is before from_date")
    zone = business_zone()
    start = datetime.combine(from_date, time.min, tzinfo=zone)
    end = datetime.combine(to_date + timedelta(days=1), time.min, tzinfo=zone)
    days = OrderedDict(
        (from_date + timedelta(days=n), [0, 0, 0]) for n in range((to_date - from_date).days + 1)
    )
    taps = (
        Click.objects.filter(sharer=user, counted=True, clicked_at__gte=start, clicked_at__lt=end)
        .annotate(day=TruncDate("clicked_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("*"))
        .values_list("day", "n")
    )
    for day, n in taps:
        days[day][0] = n
    earned = (
        Commission.objects.filter(sharer=user, created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(orders=Count("order", distinct=True), commission=Sum("amount"))
        .values_list("day", "orders", "commission")
    )
    for day, orders, commission in earned:
        days[day][1:] = [orders, commission or 0]
    return [Day(day, *figures) for day, figures in days.items()]


def today() -> date:
    """Today in the business time zone."""
    return datetime.now(business_zone()).date()


def _subquery_value(rows: QuerySet, expression) -> Coalesce:
    """A correlated aggregate over `rows` (filtered on OuterRef("pk")) as one column."""
    value = rows.order_by().values("link").annotate(v=expression).values("v")
    return Coalesce(Subquery(value, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class Figures:
    """What a link or a post did: counted taps, orders, commission (minor units)."""

    clicks: int
    orders: int
    commission: int

    @property
    def conversion_rate(self) -> float:
        return ratio(self.orders, self.clicks)

    @property
    def earnings_per_click(self) -> int:
        return self.commission // self.clicks if self.clicks else 0


@dataclass(frozen=True)
class LinkFigures(Figures):
    link: ShareLink


def per_link(user: User) -> list[LinkFigures]:
    """The sharer's links, newest first, each with its figures; product and post joined. One
    query (subqueries, not joins, so a link's taps never multiply its orders)."""
    mine = Commission.objects.filter(link=OuterRef("pk"))
    links = (
        ShareLink.objects.filter(sharer=user)
        .select_related("product", "post")
        .annotate(
            n_clicks=_subquery_value(
                Click.objects.filter(link=OuterRef("pk"), counted=True), Count("*")
            ),
            n_orders=_subquery_value(mine, Count("order", distinct=True)),
            n_commission=_subquery_value(mine, Sum("amount")),
        )
        .order_by("-created_at", "-id")
    )
    return [
        LinkFigures(
            clicks=link.n_clicks, orders=link.n_orders, commission=link.n_commission, link=link
        )
        for link in links
    ]


@dataclass(frozen=True)
class PostFigures(Figures):
    post_id: int
    post_text: str
    links: int


def per_post(user: User, links: list[LinkFigures] | None = None) -> list[PostFigures]:
    """The sharer's posts that carry a link, most commission first, each with the figures of its
    links added up: from `links` (per_link's answer, when the caller has it already) or one
    query. Orders are added per link: one order buying two products of one post counts on both
    links."""
    posts: dict[int, list] = {}
    for row in per_link(user) if links is None else links:
        post = row.link.post
        if post is None:
            continue
        entry = posts.setdefault(post.pk, [post.text, 0, 0, 0, 0])
        entry[1] += row.clicks
        entry[2] += row.orders
        entry[3] += row.commission
        entry[4] += 1
    rows = [
        PostFigures(
            post_id=pk, post_text=text, clicks=clicks, orders=orders, commission=money, links=n
        )
        for pk, (text, clicks, orders, money, n) in posts.items()
    ]
    return sorted(rows, key=lambda row: (-row.commission, -row.clicks, -row.post_id))


SOURCE_WORDS = {
    "campaign": "campaign rate",
    "product": "the shop's rate",
    "category": "category rate",
    "default": "standard rate",
}


def rate_words(rate_bp: int) -> str:
    """1000 -> "10%", 750 -> "7.5%", 1234 -> "12.34%"."""
    whole, fraction = divmod(rate_bp, 100)
    return f"{whole}.{fraction:02d}".rstrip("0").rstrip(".") + "%"


def commission_reason(commission: Commission) -> str:
    """Why the sharer earns it, in plain words: the attribution decision, the tap that won, and
    where the rate came from. Needs `decision`, `link` and `click` joined."""
    decision = commission.decision
    ahead = decision.placed_at - commission.click.clicked_at
    hours = int(ahead.total_seconds() // 3600)
    lead = f"{hours} h" if hours else f"{int(ahead.total_seconds() // 60)} min"
    source = SOURCE_WORDS.get(commission.rule_source, commission.rule_source)
    rate = f"{rate_words(commission.rate_bp)}, {source}"
    if commission.rate_locked:
        rate += ", kept from when you made the link"
    return (
        f"{reason_in_words(decision.reason)}: a tap on your link {commission.link.code} "
        f"{lead} before the order · {rate}"
    )


def commissions_of(user: User, status: str | None = None) -> QuerySet[Commission]:
    """The sharer's commissions, newest first, optionally of one status, with the product,
    the decision, the link and the click joined (for `commission_reason`): one query a page."""
    if status is not None and status not in CommissionStatus.values:
        raise ValueError(f"unknown commission status {status!r}")
    rows = Commission.objects.filter(sharer=user)
    if status is not None:
        rows = rows.filter(status=status)
    return rows.select_related("product", "decision", "link", "click").order_by(
        "-created_at", "-id"
    )
