"""bench_share_redirect's pure parts: the Zipf stream, the visitors, and how figures become rows."""

from collections import Counter

from bench.bench_share_redirect import rows_from, visitor_cookies, zipf_stream
from bench.load import Load
from shoplinks.clicks.visitor import visitor_id_from_cookie


def test_zipf_stream_is_skewed_and_covers_the_tail():
    """The most tapped link gets far more taps than the median one, and rare links appear."""
    codes = [f"code{n}" for n in range(1000)]
    counts = Counter(zipf_stream(codes, 50_000))
    ranked = [count for _, count in counts.most_common()]
    assert ranked[0] > 50 * ranked[len(ranked) // 2]
    assert len(counts) > 500
    assert set(counts) <= set(codes)


def test_zipf_stream_is_the_same_for_the_same_seed():
    """Both contenders (and reruns) replay one stream."""
    codes = [f"code{n}" for n in range(100)]
    assert zipf_stream(codes, 100) == zipf_stream(codes, 100)


def test_half_the_visitors_return_with_a_valid_cookie():
    """About half the taps carry a signed cookie our view accepts, the rest none."""
    cookies = visitor_cookies(2000)
    returning = [cookie for cookie in cookies if cookie is not None]
    assert 800 < len(returning) < 1200
    assert all(visitor_id_from_cookie(cookie) for cookie in returning)


def _load(latency_ms: float, requests: int = 100) -> Load:
    return Load(requests=requests, seconds=1.0, latencies=[latency_ms / 1000] * requests)


def test_rows_meet_the_goals_within_one_and_a_half_times_and_zero_queries():
    """p50/p99 at 1.4× the bare view and 0 queries meet their goals."""
    rows = rows_from(
        mode="embedded",
        links=10_000,
        concurrency=8,
        loads={"ours": _load(14), "bare": _load(10)},
        counted={"taps": 400, "queries": 0},
    )
    assert [row.met for row in rows] == [True, True, True, True]


def test_slow_redirects_or_any_query_miss_the_goals():
    """2× the bare view's latency, or one query on a cached tap, is a miss."""
    p50, p99, _rate, queries = rows_from(
        mode="redis",
        links=10_000,
        concurrency=8,
        loads={"ours": _load(20), "bare": _load(10)},
        counted={"taps": 400, "queries": 1},
    )
    assert not p50.met
    assert not p99.met
    assert not queries.met
