"""Benchmarks, each measured against a baseline from the same run (`make bench`, `python -m bench`).

Every module `bench/bench_*.py` exposes `run(*, full: bool) -> list[report.Row]`; `python -m bench`
runs them all (quick sizes by default, full sizes with `--full`), prints one table and writes the
rows to `VAR_DIR/bench/results.json` as `[{"name", "unit", "ours", "baseline", "ratio", "goal",
"met"}]`.

Goals: `ratio` is always `ours / baseline`, and `goal` bounds it. In a unit where more is better
(`req/s`) the goal is a floor: met when ratio >= goal (0.5 = at least half the baseline's rate).
In every other unit (`ms`, counts) the goal is a ceiling: met when ratio <= goal (2 = at most twice
the baseline's latency). An unmet goal is reported, not an error: `python -m bench` exits non-zero
only when a benchmark could not run.
"""
