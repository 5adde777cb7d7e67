"""Which link a paid order line is credited to: the rules, as a pure function of the buyer's taps.

For one line, given the buyer's taps on links for the line's product (clicks merged from their
visitor id included), only taps made at or before the moment the order was placed count at all:
1. Taps on the buyer's own links never earn. When they are the buyer's only taps, the line is
   `self_purchase` (about the own link tapped last).
2. Among the other taps, the last counted one within the window wins: `credited`. Every other
   sharer's link with a counted tap in the window gets a losing row,
   `later_click_by_other_sharer` (about its last counted tap in the window). The winner's own
   other links lose nothing to anyone, so they get no row.
3. Else a counted tap before the window: `window_expired` (about the last such tap).
4. Else only flagged taps (bot, duplicate, rate-limited): `flagged_click` (about the last one).
5. No tap at all: `no_click`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shoplinks.models import Reason


@dataclass(frozen=True)
class Tap:
    """One stored click, as much of it as the rules and the published decision need."""

    click: int
    link: int
    sharer: int
    post: int | None
    clicked_at: datetime
    counted: bool


@dataclass(frozen=True)
class Verdict:
    reason: str
    # The tap the reason is about; None only for no_click.
    tap: Tap | None
    final: bool


def decide(
    *, taps: Iterable[Tap], buyer: int, placed_at: datetime, window: timedelta
) -> list[Verdict]:
    """The line's final verdict first, then the losing links' verdicts, latest tap first."""
    # Newest first; the click id breaks a tie between taps of the same instant.
    before = sorted(
        (tap for tap in taps if tap.clicked_at <= placed_at),
        key=lambda tap: (tap.clicked_at, tap.click),
        reverse=True,
    )
    others = [tap for tap in before if tap.sharer != buyer]
    if not others:
        if before:
            return [Verdict(Reason.SELF_PURCHASE, before[0], final=True)]
        return [Verdict(Reason.NO_CLICK, None, final=True)]
    opens = placed_at - window
    in_window = [tap for tap in others if tap.counted and tap.clicked_at >= opens]
    if in_window:
        return _credit(in_window)
    counted = [tap for tap in others if tap.counted]
    if counted:
        return [Verdict(Reason.WINDOW_EXPIRED, counted[0], final=True)]
    return [Verdict(Reason.FLAGGED_CLICK, others[0], final=True)]


def _credit(in_window: list[Tap]) -> list[Verdict]:
    winner = in_window[0]
    verdicts = [Verdict(Reason.CREDITED, winner, final=True)]
    losing_links = set()
    for tap in in_window[1:]:
        if tap.sharer != winner.sharer and tap.link not in losing_links:
            losing_links.add(tap.link)
            verdicts.append(Verdict(Reason.LATER_CLICK_BY_OTHER_SHARER, tap, final=False))
    return verdicts
