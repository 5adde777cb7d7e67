"""bench_checkout's pure parts: where it measures, how many workers, how figures become rows."""

import pytest

from bench.bench_checkout import (
    BUYERS,
    CONNECTION_HEADROOM,
    QUERY_BUDGET,
    STOCK,
    PostgresUnavailable,
    bench_database,
    rows_from,
    workers_for,
)


def test_bench_database_sits_beside_the_configured_postgres_database():
    """A PostgreSQL DATABASE_URL gives its server, user and a database named after the
    configured one, so people sharing a server never drop each other's bench database."""
    database = bench_database("postgres://app:secret@db.internal:6543/wom_ci")

    assert database.name == "wom_ci_bench_checkout"
    assert database.url == "postgres://app:secret@db.internal:6543/wom_ci_bench_checkout"
    assert database.admin_url == "postgres://app:secret@db.internal:6543/postgres"


@pytest.mark.parametrize("configured", ["", "sqlite:///var/db.sqlite3", "mysql://u@h/db"])
def test_bench_database_defaults_to_the_local_postgres_without_a_postgres_url(configured):
    """Without a PostgreSQL DATABASE_URL the bench goes to the local server as postgres."""
    database = bench_database(configured)

    assert database.url == "postgres://postgres@127.0.0.1:5432/wom_bench_checkout"
    assert database.admin_url == "postgres://postgres@127.0.0.1:5432/postgres"


def test_workers_are_capped_by_buyers_size_and_the_connections_to_spare():
    """One worker per buyer at most, within the size's cap and the server's spare connections."""
    assert workers_for(1000, cap=BUYERS) == BUYERS
    assert workers_for(1000, cap=40) == 40
    assert workers_for(CONNECTION_HEADROOM + 25, cap=BUYERS) == 25


def test_a_server_without_connections_to_spare_cannot_run_the_bench():
    """Too few spare connections is a bench that could not run, not a tiny measurement."""
    with pytest.raises(PostgresUnavailable):
        workers_for(CONNECTION_HEADROOM + 1, cap=BUYERS)


def measured(*, ours_oversold=0, raw_oversold=0, queries=12) -> dict:
    return {
        "ours": {
            "sold": 200,
            "oversold": ours_oversold,
            "seconds": [1.0, 1.0],
            "latencies": [0.01 * n for n in range(1, 101)],
        },
        "raw": {
            "sold": 200,
            "oversold": raw_oversold,
            "seconds": [0.5, 0.5],
            "latencies": [0.001 * n for n in range(1, 101)],
        },
        "three_line_queries": ["SELECT 1"] * queries,
    }


def test_rows_compare_orders_per_second_and_latency_with_the_raw_loop():
    """Throughput is units sold over the rounds' time; ours at half the raw rate meets the goal."""
    rows = {
        row.name.rsplit(": ", 1)[-1]: row for row in rows_from(measured(), workers=40, rounds=2)
    }

    assert (rows["orders/s"].ours, rows["orders/s"].baseline) == (100, 200)
    assert rows["orders/s"].met
    assert rows["p50"].ours == pytest.approx(10 * rows["p50"].baseline)
    assert not rows["p50"].met


def test_oversold_rows_are_met_only_when_nothing_was_oversold():
    """Oversold units are weighed against the units on offer; a single one misses the goal."""
    clean = rows_from(measured(), workers=40, rounds=2)
    oversold = rows_from(measured(raw_oversold=1), workers=40, rounds=2)

    clean_rows = [row for row in clean if "oversold" in row.name]
    assert [row.met for row in clean_rows] == [True, True]
    assert {row.baseline for row in clean_rows} == {2 * STOCK}
    assert [row.met for row in oversold if "oversold" in row.name] == [True, False]


@pytest.mark.parametrize(("queries", "met"), [(QUERY_BUDGET, True), (QUERY_BUDGET + 1, False)])
def test_query_row_holds_the_count_against_the_budget(queries, met):
    """The 3-line checkout meets its goal at the budget of queries or below."""
    (row,) = [
        row
        for row in rows_from(measured(queries=queries), workers=40, rounds=2)
        if row.unit == "queries"
    ]

    assert (row.ours, row.baseline, row.met) == (queries, QUERY_BUDGET, met)
