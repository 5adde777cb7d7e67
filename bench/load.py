"""HTTP load: N concurrent keep-alive connections sending GETs for a fixed time."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field

import httpx


class LoadError(RuntimeError):
    """A request under load did not answer 200; figures of failing requests mean nothing."""


@dataclass
class Load:
    """Requests and their latencies (seconds), accumulated over one or more rounds."""

    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile_ms(self, percent: int) -> float:
        cut_points = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return cut_points[percent - 1] * 1000


async def _round(
    client: httpx.AsyncClient, url: str, *, concurrency: int, seconds: float, into: Load
) -> None:
    latencies: list[float] = []
    failures: list[str] = []
    deadline = time.perf_counter() + seconds

    async def connection() -> None:
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            response = await client.get(url)
            latencies.append(time.perf_counter() - sent)
            if response.status_code != 200:
                failures.append(f"{response.status_code} {response.text[:300]}")

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    if failures:
        raise LoadError(f"GET {url}: {len(failures)} failed, first: {failures[0]}")
    into.requests += len(latencies)
    into.seconds += elapsed
    into.latencies.extend(latencies)


async def _compare(
    urls: dict[str, str], headers: dict[str, str], concurrency: int, rounds: int, seconds: float
) -> dict[str, Load]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as client:
        for url in urls.values():
            await _round(client, url, concurrency=concurrency, seconds=1.0, into=Load())
        loads = {name: Load() for name in urls}
        # Alternating rounds spread any drift of the machine (another process, a warm cache)
        # evenly over every contender.
        for _ in range(rounds):
            for name, url in urls.items():
                await _round(
                    client, url, concurrency=concurrency, seconds=seconds, into=loads[name]
                )
    return loads


def compare(
    urls: dict[str, str],
    *,
    headers: dict[str, str],
    concurrency: int,
    rounds: int,
    seconds: float,
) -> dict[str, Load]:
    """Load each of `urls` ({name: url}) after a warm-up, in alternating rounds of `seconds`."""
    return asyncio.run(_compare(urls, headers, concurrency, rounds, seconds))
