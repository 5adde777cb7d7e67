"""bench_click_ingest's pure parts: how measured seconds become rows, and the sanity check."""

import pytest

from bench.bench_click_ingest import rows_from


def test_rows_compare_clicks_per_second_with_the_raw_inserts():
    """Rates are clicks over seconds; at 0.5× the raw rate the goal is met."""
    measured = {
        "clicks": 1000,
        "ours": 2.0,
        "flush": 1.0,
        "raw": 1.0,
        "rows_ours": 1000,
        "rows_raw": 1000,
    }
    total, flush = rows_from("memory", measured)
    assert (total.ours, total.baseline) == (500, 1000)
    assert total.met
    assert flush.ours == 1000


def test_below_half_the_raw_rate_misses_the_goal():
    """Slower than half the raw rate misses the goal."""
    measured = {
        "clicks": 1000,
        "ours": 2.5,
        "flush": 2.5,
        "raw": 1.0,
        "rows_ours": 1000,
        "rows_raw": 1000,
    }
    assert not rows_from("redis", measured)[0].met


def test_a_lost_or_doubled_click_fails_the_bench():
    """Figures mean nothing if ours stored another number of rows than clicks were sent."""
    measured = {
        "clicks": 1000,
        "ours": 1.0,
        "flush": 1.0,
        "raw": 1.0,
        "rows_ours": 999,
        "rows_raw": 1000,
    }
    with pytest.raises(RuntimeError, match="rows stored"):
        rows_from("memory", measured)
