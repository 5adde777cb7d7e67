"""bench_earnings_api's pure parts: where it measures and how figures become rows."""

from bench.bench_earnings_api import SUMMARY, bench_database, rows_from


def test_bench_database_sits_beside_the_configured_postgres_database():
    """A PostgreSQL DATABASE_URL gives its server and a database named after the configured
    one; anything else goes to the local server."""
    database = bench_database("postgres://app:secret@db.internal:6543/wom_ci")
    local = bench_database("sqlite:///var/db.sqlite3")

    assert database.url == "postgres://app:secret@db.internal:6543/wom_ci_bench_earnings"
    assert database.admin_url == "postgres://app:secret@db.internal:6543/postgres"
    assert local.url == "postgres://postgres@127.0.0.1:5432/wom_bench_earnings"


def _sizes(big_queries: int) -> dict:
    def size(n: int, queries: int, p50: float) -> dict:
        paths = {SUMMARY: {"queries": queries, "p50": p50}}
        paths["/api/v1/earnings/links"] = {"queries": 1, "p50": p50}
        return {"size": n, "paths": paths, "raw_p50": 0.002}

    return {"sizes": [size(1_000, 3, 0.003), size(10_000, big_queries, 0.005)]}


def test_rows_compare_the_summary_with_the_raw_aggregate_and_queries_across_sizes():
    """p50 of GET earnings against the raw query (2.5× meets ≤ 3), and per read the queries at
    N against N/10 (equal meets ≤ 1)."""
    latency, summary_queries, links_queries = rows_from(_sizes(3))

    assert (latency.unit, latency.ours, latency.baseline) == ("ms", 5.0, 2.0)
    assert latency.met
    assert summary_queries.name.startswith(f"GET {SUMMARY} queries: 10,000")
    assert summary_queries.met
    assert links_queries.met


def test_a_query_count_that_grows_with_the_history_misses_the_goal():
    """Four queries at N where there were three at N/10: not a fixed number, reported as missed."""
    _, summary_queries, _ = rows_from(_sizes(4))

    assert not summary_queries.met
