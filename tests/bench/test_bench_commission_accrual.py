"""bench_commission_accrual's pure parts: where it measures and how figures become a row."""

import pytest

from bench import commission_accrual_load
from bench.bench_commission_accrual import bench_database, rows_from
from rewards.models import Commission


def test_bench_database_sits_beside_the_configured_postgres_database():
    """Its own database named after the configured one, on the same server."""
    database = bench_database("postgres://app@db:5432/wom_ci")

    assert database.name == "wom_ci_bench_accrual"
    assert database.url == "postgres://app@db:5432/wom_ci_bench_accrual"
    assert database.admin_url == "postgres://app@db:5432/postgres"


def test_row_compares_lines_per_second_with_the_raw_insert():
    """Lines over seconds, ours against the raw INSERT … SELECT; the goal is 0.3×."""
    (row,) = rows_from({"size": 10_000, "ours": 2.0, "raw": 0.5})

    assert (row.ours, row.baseline) == (5000, 20_000)
    assert not row.met
    assert rows_from({"size": 10_000, "ours": 1.0, "raw": 0.5})[0].met


@pytest.mark.django_db
def test_the_load_accrues_every_line_both_ways():
    """Smoke: the raw statement and ours each accrue every generated line, ours at the rule's
    rate, through the real service and its ledger posting."""
    decision_ids = commission_accrual_load._fill(30)

    _, raw = commission_accrual_load._raw()
    _, ours = commission_accrual_load._ours(decision_ids)

    assert raw == ours == 30
    expected = commission_accrual_load.PRICE * commission_accrual_load.RATE_BP // 10_000
    assert set(Commission.objects.values_list("amount", flat=True)) == {expected}
    assert Commission.objects.count() == 30
