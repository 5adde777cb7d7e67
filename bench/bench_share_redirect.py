"""`/s/<code>` over N share links with Zipf-distributed taps, against a bare Django view that
answers the same 302 doing no work, on one daphne process in the same run.

The server is the embedded default (SQLite, in-process cache, in-memory click buffer, the
in-process scheduler flushing the buffer every 5 s in the background, as `make run` serves it),
under VAR_DIR/bench/share_redirect. N links (quick: 10k, --full: 1M) are made with raw batched
INSERTs; the seed time is reported. The client sends the same stream of requests to both
contenders, in alternating rounds: link k of the popularity ranking with probability ∝ 1/k^1.1
(a few links go viral, most are tapped rarely, so some taps find the link uncached), half the taps
from returning visitors (a signed visitor cookie from a pool) and half from new ones (no cookie:
ours sets one). The per-IP limit is lifted so that every tap runs the duplicate check too (all
taps come from 127.0.0.1). When REDIS_URL is set in the bench's environment, all of it runs
once more with the cache and the click buffer on that Redis (keys under a prefix of their own,
deleted afterwards; the database stays the server's own SQLite).
Reported: p50 and p99 latency, ours against the bare view (goal ≤ 1.5×); throughput; and the SQL
queries of taps on cached links (a separate run of the real view with Django's test client in the
server's environment: ours = queries over all those taps, baseline = the taps, goal 0).
"""

from __future__ import annotations

import asyncio
import bisect
import http.cookiejar
import itertools
import json
import os
import random
import shutil
import sqlite3
import time
import uuid

import httpx
import redis
from django.conf import settings

from bench.load import Load, LoadError
from bench.report import Row
from bench.server import embedded_server
from bench.urls import BARE_REDIRECT_PREFIX

# (links, concurrent connections, rounds per contender, seconds per round)
SIZES = {False: (10_000, 8, 4, 1.5), True: (1_000_000, 32, 8, 5.0)}
ZIPF_EXPONENT = 1.1
VISITOR_POOL = 5_000
STREAM = 200_000
QUERY_TAPS = 200
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def zipf_stream(codes: list[str], length: int, *, seed: int = 6) -> list[str]:
    """`length` codes drawn with P(rank k) ∝ 1/k^ZIPF_EXPONENT, the ranking shuffled."""
    chooser = random.Random(seed)
    ranked = codes[:]
    chooser.shuffle(ranked)
    cumulative = list(itertools.accumulate(1 / k**ZIPF_EXPONENT for k in range(1, len(codes) + 1)))
    total = cumulative[-1]
    return [
        ranked[min(bisect.bisect(cumulative, chooser.random() * total), len(ranked) - 1)]
        for _ in range(length)
    ]


def visitor_cookies(count: int, *, seed: int = 7) -> list[str | None]:
    """Half None (a new visitor), half a valid signed cookie of a returning one."""
    from shoplinks.clicks.visitor import new_visitor_id, sign

    chooser = random.Random(seed)
    pool = [sign(new_visitor_id()) for _ in range(VISITOR_POOL)]
    return [chooser.choice(pool) if chooser.random() < 0.5 else None for _ in range(count)]


async def _round(
    client: httpx.AsyncClient,
    prefix: str,
    requests: list[tuple[str, dict]],
    *,
    position: itertools.count,
    concurrency: int,
    seconds: float,
    into: Load,
) -> None:
    latencies: list[float] = []
    failures: list[str] = []
    deadline = time.perf_counter() + seconds

    async def connection() -> None:
        while time.perf_counter() < deadline:
            code, headers = requests[next(position) % len(requests)]
            sent = time.perf_counter()
            response = await client.get(prefix + code, headers=headers)
            latencies.append(time.perf_counter() - sent)
            if response.status_code != 302:
                failures.append(f"{response.status_code} {response.text[:300]}")

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    if failures:
        raise LoadError(f"GET {prefix}…: {len(failures)} failed, first: {failures[0]}")
    into.requests += len(latencies)
    into.seconds += elapsed
    into.latencies.extend(latencies)


async def _compare(
    base_url: str, requests: list, *, concurrency: int, rounds: int, seconds: float
) -> dict[str, Load]:
    prefixes = {"ours": "/s/", "bare": BARE_REDIRECT_PREFIX}
    # No cookie jar: each request carries exactly the cookie of its visitor, or none.
    jar = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base_url, cookies=jar, limits=limits, timeout=30
    ) as client:
        loads = {name: Load() for name in prefixes}
        # Both contenders replay the same stream from the same place in each round.
        start = 0
        for round_number in range(rounds + 1):
            for name, prefix in prefixes.items():
                position = itertools.count(start)
                # Round 0 warms both up (connections, code paths) and is not counted.
                target = loads[name] if round_number else Load()
                await _round(
                    client,
                    prefix,
                    requests,
                    position=position,
                    concurrency=concurrency,
                    seconds=seconds if round_number else 1.0,
                    into=target,
                )
            start = next(position)
    return loads


def _requests(codes: list[str]) -> list[tuple[str, dict]]:
    stream = zipf_stream(codes, STREAM)
    cookies = visitor_cookies(STREAM)
    name = settings.VISITOR_COOKIE_NAME
    base = {"User-Agent": PHONE, "Sec-Fetch-Dest": "document"}
    return [
        (code, {**base, "Cookie": f"{name}={cookie}"} if cookie else base)
        for code, cookie in zip(stream, cookies, strict=True)
    ]


def _measure(mode: str, extra: dict[str, str], *, full: bool) -> list[Row]:
    links, concurrency, rounds, seconds = SIZES[full]
    var_dir = settings.VAR_DIR / "bench" / "share_redirect" / mode
    shutil.rmtree(var_dir, ignore_errors=True)
    env = {"INPROCESS_SCHEDULER": "1", "SHARE_CLICKS_PER_IP_PER_MINUTE": "1000000000", **extra}
    with embedded_server(
        var_dir, settings_module="bench.settings", access_log=False, env=env
    ) as server:
        seeded = json.loads(
            server.run("-m", "bench.share_redirect_work", "seed", str(links), timeout=3600)
        )
        with sqlite3.connect(server.db_path) as database:
            codes = [row[0] for row in database.execute("SELECT code FROM shoplinks_sharelink")]
        loads = asyncio.run(
            _compare(
                server.base_url,
                _requests(codes),
                concurrency=concurrency,
                rounds=rounds,
                seconds=seconds,
            )
        )
        counted = json.loads(
            server.run("-m", "bench.share_redirect_work", "queries", str(QUERY_TAPS))
        )
    rows = rows_from(mode=mode, links=links, concurrency=concurrency, loads=loads, counted=counted)
    return [
        *rows,
        Row(
            f"seed {links:,} links with raw batched INSERTs (informational, no baseline)",
            "s",
            seeded["seconds"],
            seeded["seconds"],
            goal=1,
        ),
    ]


def run(*, full: bool) -> list[Row]:
    rows = _measure("embedded", {}, full=full)
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        # The cache and the click buffer on Redis, keys under a prefix of this run's own.
        prefix = f"bench-{uuid.uuid4().hex}"
        extra = {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix, "CELERY_EAGER": "1"}
        try:
            rows += _measure("redis", extra, full=full)
        finally:
            client = redis.Redis.from_url(redis_url)
            for key in client.scan_iter(f"{prefix}:*", count=1000):
                client.unlink(key)
    return rows


def rows_from(
    *, mode: str, links: int, concurrency: int, loads: dict[str, Load], counted: dict
) -> list[Row]:
    ours, bare = loads["ours"], loads["bare"]
    name = f"GET /s/<code> ({mode}), {links:,} links, Zipf taps, {concurrency} conns vs bare 302"
    return [
        Row(f"{name}: p50", "ms", ours.percentile_ms(50), bare.percentile_ms(50), goal=1.5),
        Row(f"{name}: p99", "ms", ours.percentile_ms(99), bare.percentile_ms(99), goal=1.5),
        # No goal of its own in the issue; reported so the cost per tap is visible.
        Row(f"{name}: throughput", "req/s", ours.rate, bare.rate, goal=0.5),
        Row(
            f"GET /s/<code> ({mode}) on a cached link: SQL queries / taps",
            "queries",
            counted["queries"],
            counted["taps"],
            goal=0,
        ),
    ]
