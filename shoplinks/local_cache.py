"""A small per-process cache: bounded, least-recently-used out first, each entry with a TTL.

It sits in front of the shared cache on the redirect's path (`lookup.py`): a hot link is then
answered from this process's memory, with no round trip to Redis and no unpickling. It is only
for values that never change, or whose staleness for the TTL is harmless, since no other
process can invalidate an entry here.

Thread-safe: the ASGI server runs sync views in a thread pool, so every read also moves the
entry (an OrderedDict mutation) under the lock. Expiry follows time.monotonic(), immune to wall
clock jumps.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from time import monotonic
from typing import Any

# What get() answers for a key it does not hold (None may be a cached value).
ABSENT = object()


class LocalCache:
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        """The value of `key`, or ABSENT when it is not held or has expired."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return ABSENT
            expires_at, value = entry
            if expires_at <= monotonic():
                del self._entries[key]
                return ABSENT
            self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: Any, seconds: float) -> None:
        """Hold `value` for `seconds`, dropping the least recently used entries beyond the bound."""
        if seconds <= 0 or self.max_entries <= 0:
            return
        with self._lock:
            self._entries[key] = (monotonic() + seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def delete(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
