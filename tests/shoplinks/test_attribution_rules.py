"""shoplinks.attribution.rules.decide: the attribution rules on their own, tap by tap."""

from datetime import UTC, datetime, timedelta

from shoplinks.attribution.rules import Tap, decide
from shoplinks.models import Reason

BUYER = 1
PLACED_AT = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
_ids = iter(range(1, 10_000))


def tap(*, sharer: int, link: int | None = None, ago: timedelta, counted: bool = True) -> Tap:
    return Tap(
        click=next(_ids),
        link=link or sharer * 100,
        sharer=sharer,
        post=None,
        clicked_at=PLACED_AT - ago,
        counted=counted,
    )


def verdicts(*taps: Tap) -> list[tuple[str, Tap | None, bool]]:
    found = decide(taps=taps, buyer=BUYER, placed_at=PLACED_AT, window=WEEK)
    return [(verdict.reason, verdict.tap, verdict.final) for verdict in found]


def test_no_tap_is_no_click():
    """A buyer who never tapped a link for the product: one final no_click verdict."""
    assert verdicts() == [(Reason.NO_CLICK, None, True)]


def test_last_counted_tap_in_window_wins_and_other_sharers_lose():
    """The latest counted tap wins; each other sharer's link tapped in the window loses once."""
    older = tap(sharer=2, ago=timedelta(days=3))
    oldest_same_link = tap(sharer=2, ago=timedelta(days=4))
    latest = tap(sharer=3, ago=timedelta(hours=1))
    assert verdicts(older, latest, oldest_same_link) == [
        (Reason.CREDITED, latest, True),
        (Reason.LATER_CLICK_BY_OTHER_SHARER, older, False),
    ]


def test_winners_other_link_gets_no_losing_row():
    """The winning sharer's second link for the product lost to nobody else: no row for it."""
    from_post = tap(sharer=2, link=201, ago=timedelta(days=2))
    plain = tap(sharer=2, link=202, ago=timedelta(days=1))
    assert verdicts(from_post, plain) == [(Reason.CREDITED, plain, True)]


def test_flagged_tap_never_wins_over_an_older_counted_one():
    """A later flagged tap (a bot, a repeat) neither wins nor makes a losing row."""
    counted = tap(sharer=2, ago=timedelta(days=2))
    flagged = tap(sharer=3, ago=timedelta(hours=1), counted=False)
    assert verdicts(counted, flagged) == [(Reason.CREDITED, counted, True)]


def test_tap_after_the_order_was_placed_is_ignored():
    """Only taps made at or before placed_at count; a tap at placed_at itself does."""
    at_placing = tap(sharer=2, ago=timedelta(0))
    after = tap(sharer=3, ago=-timedelta(seconds=1))
    assert verdicts(at_placing, after) == [(Reason.CREDITED, at_placing, True)]
    assert verdicts(after) == [(Reason.NO_CLICK, None, True)]


def test_window_is_inclusive_and_an_older_counted_tap_is_window_expired():
    """A tap exactly a window before counts; one second older is window_expired."""
    edge = tap(sharer=2, ago=WEEK)
    too_old = tap(sharer=3, ago=WEEK + timedelta(seconds=1))
    assert verdicts(edge) == [(Reason.CREDITED, edge, True)]
    assert verdicts(too_old) == [(Reason.WINDOW_EXPIRED, too_old, True)]


def test_window_expired_beats_flagged_taps_in_the_window():
    """No counted tap in the window, a counted one before it: window_expired, about that tap."""
    too_old = tap(sharer=2, ago=timedelta(days=9))
    flagged = tap(sharer=3, ago=timedelta(days=1), counted=False)
    assert verdicts(too_old, flagged) == [(Reason.WINDOW_EXPIRED, too_old, True)]


def test_only_flagged_taps_is_flagged_click_about_the_last_one():
    """Flagged taps only: flagged_click, naming the last flagged tap."""
    first = tap(sharer=2, ago=timedelta(days=2), counted=False)
    last = tap(sharer=3, ago=timedelta(days=1), counted=False)
    assert verdicts(first, last) == [(Reason.FLAGGED_CLICK, last, True)]


def test_own_links_only_is_self_purchase():
    """The buyer tapped only their own link: self_purchase, about that tap."""
    own = tap(sharer=BUYER, ago=timedelta(hours=2))
    assert verdicts(own) == [(Reason.SELF_PURCHASE, own, True)]


def test_own_link_is_ignored_when_another_sharer_counts():
    """A later tap on the buyer's own link does not stop another sharer's credit."""
    friend = tap(sharer=2, ago=timedelta(days=1))
    own = tap(sharer=BUYER, ago=timedelta(hours=1))
    assert verdicts(friend, own) == [(Reason.CREDITED, friend, True)]


def test_same_instant_taps_are_settled_by_the_later_click():
    """Two taps of the same instant: the one stored later (higher id) wins."""
    first = tap(sharer=2, ago=timedelta(hours=1))
    second = tap(sharer=3, ago=timedelta(hours=1))
    assert verdicts(first, second)[0] == (Reason.CREDITED, second, True)
