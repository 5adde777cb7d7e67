"""The earnings reads: balances from the ledger, the funnel, days in the business time zone,
per link and per post figures, and the commissions with their reasons; fixed query counts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.ledger.models import AccountKind
from backend.ledger.selectors import account_balance_from_entries, account_get
from rewards import selectors
from rewards.models import CommissionStatus
from tests.factories import UserFactory
from tests.factories_posts import PostFactory, ProductTagFactory
from tests.rewards.commission_support import assert_ledger_consistent, sku_at
from tests.rewards.earnings_support import move_to, past, sale
from tests.shoplinks.attribution_support import make_link, stored_click

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


def test_summary_shows_the_pending_commission_and_the_funnel(django_assert_num_queries):
    """2 × 100.00 at 10 % through the link: 20.00 pending (the ledger's figure), nothing else;
    one counted tap (a flagged one is not counted), one order, conversion 1, 20.00 per tap.
    Two queries."""
    sold = sale(rate_bp=1000, price=10_000, quantity=2)
    stored_click(sold.link, is_bot=True)

    with django_assert_num_queries(2):
        summary = selectors.earnings_summary(sold.sharer)

    assert (summary.pending, summary.available, summary.in_payout, summary.paid_out) == (
        2000,
        0,
        0,
        0,
    )
    pending = account_get(kind=AccountKind.SHARER_PENDING, owner_id=sold.sharer.pk)
    assert summary.pending == account_balance_from_entries(pending)
    assert (summary.clicks, summary.orders) == (1, 1)
    assert summary.conversion_rate == 1.0
    assert summary.earnings_per_click == 2000
    assert summary.currency == "CNY"
    assert_ledger_consistent()


def test_summary_of_a_newcomer_is_all_zeros():
    """A user who never shared: zero balances, no taps, conversion 0 and nothing per tap (no
    division by zero)."""
    summary = selectors.earnings_summary(UserFactory())

    assert summary.earned == 0
    assert (summary.clicks, summary.orders, summary.conversion_rate) == (0, 0, 0.0)
    assert summary.earnings_per_click == 0


def test_daily_counts_days_in_the_business_time_zone(settings, django_assert_num_queries):
    """A tap and a sale at 17:30 UTC on 3 March are on 4 March in Shanghai (UTC+8); the days
    around it are zeros, one row a day, both ends included. Two queries."""
    settings.BUSINESS_TIME_ZONE = "Asia/Shanghai"
    sold = sale(rate_bp=1000, price=10_000, quantity=1)
    moment = datetime(2026, 3, 3, 17, 30, tzinfo=UTC)
    move_to(sold.commission, moment, tapped_before=timedelta(minutes=10))

    with django_assert_num_queries(2):
        days = selectors.daily(sold.sharer, date(2026, 3, 2), date(2026, 3, 5))

    assert [day.date for day in days] == [date(2026, 3, n) for n in (2, 3, 4, 5)]
    assert [(day.clicks, day.orders, day.commission) for day in days] == [
        (0, 0, 0),
        (0, 0, 0),
        (1, 1, 1000),
        (0, 0, 0),
    ]


def test_daily_in_another_business_time_zone(settings):
    """The same moment in New York (UTC−5 in March) is still 3 March."""
    settings.BUSINESS_TIME_ZONE = "America/New_York"
    sold = sale(rate_bp=1000, price=10_000, quantity=1)
    move_to(sold.commission, datetime(2026, 3, 3, 17, 30, tzinfo=UTC), tapped_before=timedelta())

    days = selectors.daily(sold.sharer, date(2026, 3, 3), date(2026, 3, 4))

    assert [(day.clicks, day.orders) for day in days] == [(1, 1), (0, 0)]


def test_daily_refuses_a_backwards_range():
    """`to` before `from` is a caller's mistake, not an empty chart."""
    with pytest.raises(ValueError, match="before"):
        selectors.daily(UserFactory(), date(2026, 3, 5), date(2026, 3, 4))


def test_per_link_figures_are_not_multiplied_by_joins(django_assert_num_queries):
    """A link with three counted taps (and a flagged one) and two orders shows 3 taps, 2 orders
    and the sum of both commissions; another link with no tap shows zeros. One query."""
    sharer = UserFactory()
    sku = sku_at(1000, price=5_000)
    first = sale(sharer, sku=sku, quantity=1)
    second = sale(sharer, sku=sku, quantity=3)
    stored_click(first.link, user=UserFactory())
    stored_click(first.link, is_duplicate=True)
    idle = make_link(sharer, sku_at(500).product)

    with django_assert_num_queries(1):
        rows = selectors.per_link(sharer)

    by_code = {row.link.code: row for row in rows}
    busy = by_code[first.link.code]
    assert first.link == second.link
    assert (busy.clicks, busy.orders, busy.commission) == (3, 2, 500 + 1500)
    assert busy.conversion_rate == round(2 / 3, 4)
    assert busy.earnings_per_click == 2000 // 3
    assert (by_code[idle.code].clicks, by_code[idle.code].commission) == (0, 0)


def test_per_post_adds_up_the_links_of_each_post():
    """Two products tagged in one post, each sold through its link from that post: the post row
    adds both links' taps, orders and commission; a link from the product page has no post."""
    sharer = UserFactory()
    post = PostFactory(author=sharer)
    one, two = sku_at(1000, price=10_000), sku_at(2000, price=10_000)
    ProductTagFactory(post=post, product=one.product)
    ProductTagFactory(post=post, product=two.product)
    sale(sharer, sku=one, quantity=1, post=post)
    sale(sharer, sku=two, quantity=1, post=post)
    sale(sharer, sku=sku_at(1000), quantity=1)

    [row] = selectors.per_post(sharer)

    assert (row.post_id, row.links) == (post.pk, 2)
    assert (row.clicks, row.orders, row.commission) == (2, 2, 1000 + 2000)
    assert row.post_text == post.text


def test_commissions_of_gives_the_reason_and_filters_by_status(django_assert_num_queries):
    """The commission says it was credited, through which link, how long after the tap, and at
    what rate from where; `status` keeps only that status. One query for the rows and their
    reasons."""
    sold = sale(rate_bp=1000, quantity=2)
    move_to(sold.commission, past(hours=1), tapped_before=timedelta(hours=5))

    with django_assert_num_queries(1):
        rows = list(selectors.commissions_of(sold.sharer))
        reasons = [selectors.commission_reason(row) for row in rows]

    assert [row.pk for row in rows] == [sold.commission.pk]
    assert reasons[0].startswith("Credited: a tap on your link")
    assert sold.link.code in reasons[0]
    assert "5 h before the order" in reasons[0]
    assert "10%, the shop's rate" in reasons[0]
    assert list(selectors.commissions_of(sold.sharer, status=CommissionStatus.PAID)) == []
    assert len(selectors.commissions_of(sold.sharer, status=CommissionStatus.PENDING)) == 1


def test_commissions_of_refuses_an_unknown_status():
    """A typo in a status is an error, not an empty list."""
    with pytest.raises(ValueError, match="unknown commission status"):
        selectors.commissions_of(UserFactory(), status="earned")


def test_nothing_of_another_sharer_shows():
    """Another sharer's sale is in none of this sharer's reads."""
    sale()
    someone = UserFactory()

    assert selectors.earnings_summary(someone).earned == 0
    assert selectors.earnings_summary(someone).clicks == 0
    assert selectors.per_link(someone) == []
    assert selectors.per_post(someone) == []
    assert not selectors.commissions_of(someone).exists()
    days = selectors.daily(someone, selectors.today() - timedelta(days=2), selectors.today())
    assert sum(day.clicks + day.orders + day.commission for day in days) == 0


@pytest.mark.parametrize(
    ("rate_bp", "words"), [(1000, "10%"), (750, "7.5%"), (1234, "12.34%"), (5, "0.05%")]
)
def test_rate_words(rate_bp, words):
    """Basis points read as a percentage without trailing zeros."""
    assert selectors.rate_words(rate_bp) == words
