"""Sign-in lockout: too many failures for one username or from one IP locks sign-in for a while.

Counted in the cache (Redis when configured, so every worker shares the count; the process's own
memory in the embedded default, which is one process). A window opens at the first failure and
lasts SIGNIN_LOCKOUT_WINDOW_SECONDS; SIGNIN_LOCKOUT_FAILURES failures inside it lock that key
until the window closes. This is independent of the API's request throttles, so API_THROTTLE=off
leaves it on.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache


def _keys(kind: str, value: str) -> tuple[str, str]:
    # Hashed: usernames typed at a sign-in form may hold anything, cache keys may not.
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
    return f"signin-fail:{digest}:count", f"signin-fail:{digest}:since"


def _subjects(username: str, ip: str | None) -> list[tuple[str, str]]:
    subjects = [("user", username.strip().lower())]
    if ip:
        subjects.append(("ip", ip))
    return subjects


def seconds_locked(*, username: str, ip: str | None) -> int:
    """Seconds until sign-in is possible again for this username and IP; 0 when not locked."""
    window = settings.SIGNIN_LOCKOUT_WINDOW_SECONDS
    limit = settings.SIGNIN_LOCKOUT_FAILURES
    keys = [key for kind, value in _subjects(username, ip) for key in _keys(kind, value)]
    values = cache.get_many(keys)
    now = time.time()
    wait = 0
    for count_key, since_key in zip(keys[::2], keys[1::2], strict=True):
        if values.get(count_key, 0) >= limit:
            since = values.get(since_key, now)
            wait = max(wait, math.ceil(since + window - now), 1)
    return wait


def record_failure(*, username: str, ip: str | None) -> None:
    window = settings.SIGNIN_LOCKOUT_WINDOW_SECONDS
    for kind, value in _subjects(username, ip):
        count_key, since_key = _keys(kind, value)
        # add() only writes when absent, so the window starts at the first failure.
        cache.add(since_key, time.time(), timeout=window)
        cache.add(count_key, 0, timeout=window)
        try:
            cache.incr(count_key)
        except ValueError:
            # The window closed between add() and incr(): this failure opens a new one.
            cache.set(since_key, time.time(), timeout=window)
            cache.set(count_key, 1, timeout=window)


def clear_username(username: str) -> None:
    """A successful sign-in forgives the username's failures (not the IP's)."""
    cache.delete_many(list(_keys("user", username.strip().lower())))
