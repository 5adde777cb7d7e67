"""The demo earnings seed steps: months of the demo sharer's history in every state, the
ledger whole, and nothing more the second time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from backend.accounts.models import User
from backend.accounts.seed import seed_people
from commerce.seed import seed_shop
from posts.seed import seed_posts
from rewards import selectors
from rewards.models import Commission, CommissionStatus, Payout, PayoutStatus
from rewards.seed import seed_outcomes, seed_payouts, seed_purchases
from shoplinks.seed import seed_links
from tests.rewards.commission_support import assert_handlers_succeeded, assert_ledger_consistent

STEPS = (
    seed_people,
    seed_shop,
    seed_posts,
    seed_links,
    seed_purchases,
    seed_outcomes,
    seed_payouts,
)


def _quiet(line: str) -> None:
    """Seed steps log progress; the test does not need it."""


def _run(capture) -> None:
    # As seed_demo runs them: one transaction each, its events delivered when it commits.
    for step in STEPS:
        with capture(execute=True):
            step(log=_quiet)


@pytest.mark.django_db
def test_the_demo_sharer_gets_months_of_history_in_every_state(
    django_capture_on_commit_callbacks,
):
    """Commissions pending, confirmed, reversed and paid over more than three months; a paid
    payout, a rejected one and one in payout; every card of the page non-zero; the ledger
    consistent and every handler done. A second run changes nothing."""
    _run(django_capture_on_commit_callbacks)

    demo = User.objects.get(username="demo")
    mine = Commission.objects.filter(sharer=demo)
    assert set(mine.values_list("status", flat=True)) == set(CommissionStatus.values)
    oldest = mine.order_by("created_at").first().created_at
    assert oldest < timezone.now() - timedelta(days=90)
    # A partial refund: less than it accrued, still more than nothing.
    assert mine.filter(amount__lt=F("accrued_amount"), amount__gt=0).exists()
    assert set(Payout.objects.filter(sharer=demo).values_list("status", flat=True)) == set(
        PayoutStatus.values
    )
    summary = selectors.earnings_summary(demo)
    assert min(summary.pending, summary.available, summary.in_payout, summary.paid_out) > 0
    assert summary.clicks > 300
    assert_ledger_consistent()
    assert_handlers_succeeded()

    before = (mine.count(), Payout.objects.count(), selectors.earnings_summary(demo))
    _run(django_capture_on_commit_callbacks)
    assert (mine.count(), Payout.objects.count(), selectors.earnings_summary(demo)) == before
