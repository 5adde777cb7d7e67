"""The earnings page: the four balances, the funnel, the daily chart, per link and per post
figures, the commissions with their reasons, and the money-out forms with the payout history.
Only ever the signed-in sharer's own."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from rewards import payouts, selectors
from rewards.chart import daily_chart
from rewards.models import CommissionStatus
from rewards.pages.forms import PayeeForm, PayoutForm

# Chart ranges offered (days, today included); the first is the default.
RANGES = (30, 90, 180)
COMMISSIONS_SHOWN = 50
PAYOUTS_SHOWN = 20


def percent(rate: float) -> str:
    """0.125 -> "12.5%"; "–" for no taps yet is the template's job."""
    return f"{rate * 100:.1f}".removesuffix(".0") + "%"


def _range(request) -> int:
    try:
        days = int(request.GET.get("days", RANGES[0]))
    except ValueError:
        return RANGES[0]
    return days if days in RANGES else RANGES[0]


def _status(request) -> str | None:
    status = request.GET.get("status")
    return status if status in CommissionStatus.values else None


@login_required
@require_safe
def earnings(request, *, payee_form=None, payout_form=None, status=200):
    user = request.user
    days = _range(request)
    to = selectors.today()
    chosen = _status(request)
    commissions = list(selectors.commissions_of(user, status=chosen)[:COMMISSIONS_SHOWN])
    payee = payouts.payee_get(user=user)
    summary = selectors.earnings_summary(user)
    links = selectors.per_link(user)
    context = {
        "summary": summary,
        "conversion": percent(summary.conversion_rate),
        "chart": daily_chart(selectors.daily(user, to - timedelta(days=days - 1), to)),
        "days": days,
        "zone_name": settings.BUSINESS_TIME_ZONE,
        "ranges": RANGES,
        "links": links,
        "posts": selectors.per_post(user, links),
        "commissions": [
            (row, selectors.commission_reason(row), selectors.rate_words(row.rate_bp))
            for row in commissions
        ],
        "statuses": CommissionStatus.choices,
        "status": chosen,
        "payee": payee,
        "payee_form": payee_form or PayeeForm(instance_values=payee),
        "payout_form": payout_form or PayoutForm(),
        "minimum": payouts.payout_minimum(),
        "payouts": list(payouts.payouts_of(user=user)[:PAYOUTS_SHOWN]),
    }
    return render(request, "rewards/earnings.html", context, status=status)
