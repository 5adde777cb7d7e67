"""bench_complete_orders' pure parts: where it measures and how figures become rows."""

from bench.bench_complete_orders import bench_database, rows_from


def test_bench_database_sits_beside_the_configured_postgres_database():
    """Its own database named after the configured one, on the same server."""
    database = bench_database("postgres://app@db:5432/wom_ci")

    assert database.name == "wom_ci_bench_complete"
    assert database.url == "postgres://app@db:5432/wom_ci_bench_complete"
    assert database.admin_url == "postgres://app@db:5432/postgres"


def test_rows_compare_rates_and_memory_at_two_sizes():
    """Rate is orders over seconds against the raw UPDATE's; memory at N against at N/10."""
    measured = {
        "sizes": [
            {"size": 1000, "ours": 0.5, "raw": 0.01, "peak_bytes": 2_000_000},
            {"size": 10_000, "ours": 2.0, "raw": 0.4, "peak_bytes": 2_100_000},
        ]
    }

    rate, memory = rows_from(measured)

    assert (rate.ours, rate.baseline) == (5000, 25_000)
    assert rate.met
    assert (memory.ours, memory.baseline) == (2_100_000, 2_000_000)
    assert memory.met


def test_memory_growing_with_the_orders_misses_the_goal():
    """Ten times the orders holding ten times the memory is not flat."""
    measured = {
        "sizes": [
            {"size": 1000, "ours": 1.0, "raw": 1.0, "peak_bytes": 1_000_000},
            {"size": 10_000, "ours": 1.0, "raw": 1.0, "peak_bytes": 10_000_000},
        ]
    }

    assert not rows_from(measured)[1].met
