"""Concurrent writes at the embedded server through ASGI: no 500, no "database is locked".

A real daphne process serves the embedded default (SQLite in WAL mode, IMMEDIATE transactions,
busy timeout) from a database of its own in a temporary directory; the services variables are
withheld from it (bench.server), so this tests the embedded server in the services run too.
"""

import asyncio
import sqlite3
from collections import Counter

import httpx
import pytest

from bench.server import EmbeddedServer, embedded_server

WRITERS = 50


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with embedded_server(tmp_path_factory.mktemp("embedded")) as running:
        yield running


def _rows(server: EmbeddedServer, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(server.db_path) as connection:
        return connection.execute(sql, params).fetchall()


def _explain(server: EmbeddedServer, responses: list[httpx.Response]) -> str:
    statuses = Counter(response.status_code for response in responses)
    failures = [f"{r.status_code} {r.text[:300]}" for r in responses if r.status_code >= 300]
    return f"statuses {dict(statuses)}; first failures {failures[:3]}\nserver:\n{server.log_tail()}"


async def _all_at_once(server: EmbeddedServer, requests: list[dict]) -> list[httpx.Response]:
    # Generous timeout: the requests queue behind one SQLite writer and each sign-up hashes
    # a password with Argon2; the point is that they all succeed, not how fast.
    limits = httpx.Limits(max_connections=len(requests))
    async with httpx.AsyncClient(base_url=server.base_url, timeout=120, limits=limits) as client:
        try:
            return await asyncio.gather(*(client.request(**request) for request in requests))
        except httpx.TransportError as error:
            raise AssertionError(f"{error!r}\nserver:\n{server.log_tail()}") from error


async def test_concurrent_sign_ups_all_land(server):
    """50 simultaneous sign-ups each answer 201, and each one's user row exists afterwards."""
    usernames = [f"signup{number}" for number in range(WRITERS)]
    requests = [
        {
            "method": "POST",
            "url": "/api/v1/auth/register",
            "json": {
                "username": username,
                "email": f"{username}@example.com",
                "password": f"quiet-harbour-{username}-lantern",
            },
        }
        for username in usernames
    ]

    responses = await _all_at_once(server, requests)

    assert [response.status_code for response in responses] == [201] * WRITERS, _explain(
        server, responses
    )
    stored = _rows(server, "SELECT username FROM accounts_user WHERE username LIKE 'signup%'")
    assert sorted(username for (username,) in stored) == sorted(usernames)


async def test_concurrent_profile_edits_all_land(server):
    """50 users editing their profiles at once each get 200, and every edit is stored."""
    tokens = server.seed_users(prefix="editor", count=WRITERS)
    requests = [
        {
            "method": "PATCH",
            "url": "/api/v1/me",
            "headers": {"Authorization": f"Token {token}"},
            "json": {"bio": f"edited by {username}"},
        }
        for username, token in tokens.items()
    ]

    responses = await _all_at_once(server, requests)

    assert [response.status_code for response in responses] == [200] * WRITERS, _explain(
        server, responses
    )
    stored = _rows(server, "SELECT username, bio FROM accounts_user WHERE username LIKE 'editor%'")
    assert dict(stored) == {username: f"edited by {username}" for username in tokens}
