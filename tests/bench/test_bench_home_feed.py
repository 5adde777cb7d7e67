"""bench_home_feed's pure parts: where it measures, the baseline's statement, percentiles and
how figures become rows."""

import pytest

from bench.bench_home_feed import HOME, bench_database, plans_text, rows_from
from bench.home_feed_load import cursor_of, page_query, percentile, raw_page_sql


def test_bench_database_sits_beside_the_configured_postgres_database():
    """A PostgreSQL DATABASE_URL gives its server and a database named after the configured
    one; anything else goes to the local server."""
    database = bench_database("postgres://app:secret@db.internal:6543/wom_ci")
    local = bench_database("sqlite:///var/db.sqlite3")

    assert database.url == "postgres://app:secret@db.internal:6543/wom_ci_bench_home_feed"
    assert database.admin_url == "postgres://app:secret@db.internal:6543/postgres"
    assert local.url == "postgres://postgres@127.0.0.1:5432/wom_bench_home_feed"


def test_the_deep_raw_page_starts_after_the_cursor_and_the_first_does_not():
    """The deep page's statement carries the keyset condition (indexable row comparison), the
    first page's has no placeholder for it."""
    assert "(p.published_at, p.id) < (%(before)s, %(before_id)s)" in raw_page_sql(deep=True)
    assert "%(before)s" not in raw_page_sql(deep=False)
    assert "{after}" not in raw_page_sql(deep=False)


def test_the_store_statement_is_found_among_a_requests_queries():
    """The plan is taken of the timeline query (posts by time), not of a card batch read; a
    request without one is an error, not a plan of the wrong statement."""
    token = ('SELECT "authtoken_token"."key" FROM "authtoken_token"', ("k",))
    timeline = (
        'SELECT "posts_post"."id" FROM "posts_post" ORDER BY "posts_post"."published_at" DESC',
        (1001,),
    )
    media = ('SELECT "posts_postmedia"."id" FROM "posts_postmedia" WHERE post_id IN (%s)', (1,))

    assert page_query([token, timeline, media]) == timeline
    with pytest.raises(RuntimeError):
        page_query([token, media])


def test_the_cursor_is_read_from_the_next_link():
    assert cursor_of("http://testserver/api/v1/feed/home?page_size=20&cursor=MTc.NDI") == "MTc.NDI"


def test_percentile_is_the_nearest_rank():
    """p99 of 100 timings is the 99th fastest, of 40 the slowest; p50 of 4 the second."""
    hundred = [n / 1000 for n in range(100, 0, -1)]

    assert percentile(hundred, 0.99) == 0.099
    assert percentile([float(n) for n in range(40)], 0.99) == 39.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.0


def _measured(*, ours_p50: float, queries_50: int) -> dict:
    def page(ours: float, raw: float) -> dict:
        return {"ours": {"p50": ours, "p99": ours * 2}, "raw": {"p50": raw, "p99": raw * 2}}

    return {
        "posts": 200_000,
        "follows": 500,
        "deep": 10,
        "pages": {"first": page(ours_p50, 0.002), "deep": page(0.010, 0.002)},
        "queries": {"10": 8, "50": queries_50},
        "plans": {"ours, first page": "Limit\n  ->  Index Scan", "raw, first page": "Limit"},
    }


def test_rows_compare_pages_with_the_raw_query_and_queries_across_page_sizes():
    """p50 and p99 of the first page and p50 of page 11 in ms against the raw page (7.5× meets
    ≤ 8), then the queries of 50 cards against 10 (equal meets ≤ 1)."""
    p50, p99, deep, queries = rows_from(_measured(ours_p50=0.015, queries_50=8))

    assert (p50.unit, p50.ours, p50.baseline) == ("ms", 15.0, 2.0)
    assert p50.met
    assert p99.met
    assert p99.ours == 30.0
    assert "page 11" in deep.name
    assert deep.ours == 10.0
    assert queries.name == f"GET {HOME} queries: 50 cards vs 10"
    assert (queries.ours, queries.baseline) == (8, 8)
    assert queries.met


def test_a_slow_page_or_a_query_count_growing_with_the_page_misses_the_goal():
    """20× the raw page misses ≤ 8; nine queries for 50 cards where 10 cost eight is not fixed."""
    p50, _, _, queries = rows_from(_measured(ours_p50=0.040, queries_50=9))

    assert not p50.met
    assert not queries.met


def test_plans_are_written_under_their_names():
    text = plans_text(_measured(ours_p50=0.015, queries_50=8))

    assert text.startswith("== ours, first page\nLimit\n  ->  Index Scan\n")
    assert "== raw, first page\nLimit\n" in text
