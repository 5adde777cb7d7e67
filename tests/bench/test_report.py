"""Goal semantics of benchmark rows, and the JSON `make bench` writes."""

import json

from bench.report import Row, format_table, write_results


def test_rate_goal_is_a_floor_on_the_ratio():
    """In req/s more is better: the goal is met at or above it, missed below."""
    assert Row("r", "req/s", ours=60, baseline=100, goal=0.5).met
    assert not Row("r", "req/s", ours=40, baseline=100, goal=0.5).met


def test_latency_goal_is_a_ceiling_on_the_ratio():
    """In ms less is better: the goal is met at or below it, missed above."""
    assert Row("l", "ms", ours=20, baseline=10, goal=2).met
    assert not Row("l", "ms", ours=21, baseline=10, goal=2).met


def test_results_json_has_one_object_per_row_with_the_agreed_keys(tmp_path):
    """results.json lists name, unit, ours, baseline, ratio, goal and met for every row."""
    rows = [Row("a", "req/s", 50, 100, 0.5), Row("b", "ms", 30, 10, 2)]

    write_results(rows, tmp_path / "bench" / "results.json")

    written = json.loads((tmp_path / "bench" / "results.json").read_text())
    assert written == [
        {
            "name": "a",
            "unit": "req/s",
            "ours": 50,
            "baseline": 100,
            "ratio": 0.5,
            "goal": 0.5,
            "met": True,
        },
        {
            "name": "b",
            "unit": "ms",
            "ours": 30,
            "baseline": 10,
            "ratio": 3.0,
            "goal": 2,
            "met": False,
        },
    ]


def test_table_shows_every_row_with_its_verdict():
    """The printed table has a header, a rule and one line per row ending in its verdict."""
    lines = format_table([Row("a", "req/s", 50, 100, 0.5), Row("b", "ms", 30, 10, 2)]).splitlines()

    assert lines[0].split() == ["name", "ours", "baseline", "ratio", "goal", "met"]
    assert [line.split()[0] for line in lines[2:]] == ["a", "b"]
    assert [line.split()[-1] for line in lines[2:]] == ["yes", "NO"]
