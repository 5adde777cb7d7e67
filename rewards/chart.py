"""The earnings page's daily chart, drawn on the server as one inline SVG (no script, no CDN).

Three stacked panels share the days axis: taps, orders and commission. Each has its own scale
(taps are counted in hundreds where orders are counted in ones), so one panel per series reads
truer than three lines squeezed onto one axis. Every bar carries a <title>, the tooltip browsers
show on hover and screen readers read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from backend.money import format_amount
from rewards.selectors import Day

WIDTH = 640
PANEL_HEIGHT = 64
PANEL_GAP = 26
LEFT = 4
RIGHT = 4
TOP = 18
AXIS = 18


@dataclass(frozen=True)
class Series:
    name: str
    unit: tuple[str, str]  # a tooltip's word for one, and for other counts
    css: str  # the class that colours it (rewards/static/rewards/earnings.css)
    value: Callable[[Day], int]
    words: Callable[[int], str]


SERIES = (
    Series("Taps", ("tap", "taps"), "chart-taps", lambda day: day.clicks, str),
    Series("Orders", ("order", "orders"), "chart-orders", lambda day: day.orders, str),
    Series(
        "Commission",
        ("commission", "commission"),
        "chart-money",
        lambda day: day.commission,
        format_amount,
    ),
)


def _n(value: float) -> str:
    """A coordinate to one decimal, without a trailing ".0" (format_html takes text)."""
    return f"{value:.1f}".removesuffix(".0")


def _panel(series: Series, days: Sequence[Day], top: int, slot: float) -> list[str]:
    values = [series.value(day) for day in days]
    peak = max(values, default=0)
    total = sum(values)
    parts = [
        format_html(
            '<g class="chart-panel {}" data-series="{}">'
            '<text class="chart-label" x="{}" y="{}">{}</text>'
            '<text class="chart-peak" x="{}" y="{}" text-anchor="end">total {} · peak {}</text>'
            '<line class="chart-base" x1="{}" x2="{}" y1="{}" y2="{}"/>',
            series.css,
            series.name.lower(),
            LEFT,
            top - 6,
            series.name,
            WIDTH - RIGHT,
            top - 6,
            series.words(total),
            series.words(peak),
            LEFT,
            WIDTH - RIGHT,
            top + PANEL_HEIGHT,
            top + PANEL_HEIGHT,
        )
    ]
    bar = max(slot * 0.7, 1.0)
    for index, (day, value) in enumerate(zip(days, values, strict=True)):
        if not value:
            continue
        height = max(PANEL_HEIGHT * value / peak, 1.5)
        x = LEFT + index * slot + (slot - bar) / 2
        parts.append(
            format_html(
                '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"'
                ' rx="1.5"><title>{}: {} {}</title></rect>',
                _n(x),
                _n(top + PANEL_HEIGHT - height),
                _n(bar),
                _n(height),
                day.date.strftime("%-d %b"),
                series.words(value),
                series.unit[value != 1],
            )
        )
    parts.append(mark_safe("</g>"))
    return parts


def _axis(days: Sequence[Day], y: int, slot: float) -> list[str]:
    """Day labels under the last panel: the first day of each month, plus the range's ends."""
    marks = []
    last = len(days) - 1
    # A month's label close to either end would overprint the end's own label.
    margin = len(days) * 0.12
    for index, day in enumerate(days):
        near_end = index < margin or index > last - margin
        if index in (0, last) or (day.date.day == 1 and not near_end):
            anchor = "start" if index == 0 else "end" if index == last else "middle"
            marks.append(
                format_html(
                    '<text class="chart-day" x="{}" y="{}" text-anchor="{}">{}</text>',
                    _n(LEFT + index * slot + slot / 2),
                    y,
                    anchor,
                    day.date.strftime("%-d %b"),
                )
            )
    return marks


def daily_chart(days: Sequence[Day]) -> SafeString:
    """The SVG element for `days` (oldest first); an empty range draws the empty panels."""
    slot = (WIDTH - LEFT - RIGHT) / max(len(days), 1)
    height = TOP + len(SERIES) * PANEL_HEIGHT + (len(SERIES) - 1) * PANEL_GAP + AXIS
    first = days[0].date.isoformat() if days else ""
    last = days[-1].date.isoformat() if days else ""
    parts = [
        format_html(
            '<svg class="earnings-chart" viewBox="0 0 {} {}" role="img" data-chart'
            ' data-from="{}" data-to="{}" aria-labelledby="chart-title">'
            '<title id="chart-title">Taps, orders and commission per day, {} to {}</title>',
            WIDTH,
            height,
            first,
            last,
            first,
            last,
        )
    ]
    top = TOP
    for series in SERIES:
        parts.extend(_panel(series, days, top, slot))
        top += PANEL_HEIGHT + PANEL_GAP
    parts.extend(_axis(days, top - PANEL_GAP + AXIS - 4, slot))
    parts.append(mark_safe("</svg>"))
    # Every part is a format_html() result or a fixed closing tag: joining keeps it safe.
    return mark_safe("".join(parts))
