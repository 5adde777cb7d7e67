"""The daily chart: one server-made SVG with a panel per series, bars scaled to each panel's
peak, a tooltip per bar, and nothing a browser would run."""

from __future__ import annotations

import re
from datetime import date, timedelta

from rewards.chart import PANEL_HEIGHT, daily_chart
from rewards.selectors import Day


def days(*figures: tuple[int, int, int]) -> list[Day]:
    start = date(2026, 2, 27)
    return [Day(start + timedelta(days=n), *row) for n, row in enumerate(figures)]


def test_a_panel_per_series_and_a_bar_per_day_with_activity():
    """Taps on three days, orders on one, commission on one: 3 + 1 + 1 bars, each with its
    tooltip; zero days draw nothing."""
    svg = daily_chart(days((4, 0, 0), (0, 0, 0), (2, 1, 1250), (8, 0, 0)))

    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert list(re.findall(r'data-series="(\w+)"', svg)) == ["taps", "orders", "commission"]
    assert svg.count('<rect class="chart-bar"') == 5
    assert "<title>1 Mar: 12.50 commission</title>" in svg
    assert "total 14 · peak 8" in svg


def test_the_peak_fills_the_panel():
    """The busiest day's bar is the panel's full height; half as much is half as high."""
    svg = daily_chart(days((8, 0, 0), (4, 0, 0)))

    heights = [float(h) for h in re.findall(r'height="([\d.]+)" rx', svg)]
    assert heights == [PANEL_HEIGHT, PANEL_HEIGHT / 2]


def test_month_starts_and_the_ends_are_labelled():
    """Day labels: the first day, the first of each month, the last day."""
    svg = daily_chart(days(*[(0, 0, 0)] * 5))

    assert re.findall(r'class="chart-day"[^>]*>([^<]+)<', svg) == ["27 Feb", "1 Mar", "3 Mar"]


def test_a_month_start_next_to_an_end_is_not_labelled():
    """30 days from 27 Feb: 1 Mar is the third day, too close to the first day's label."""
    svg = daily_chart(days(*[(0, 0, 0)] * 30))

    assert re.findall(r'class="chart-day"[^>]*>([^<]+)<', svg) == ["27 Feb", "28 Mar"]


def test_no_script_and_no_outside_resource():
    """Nothing to run and nothing to fetch: no script, no event handler, no external link."""
    svg = daily_chart(days((1, 1, 100)))

    assert "<script" not in svg
    assert "onload" not in svg
    assert "href" not in svg
