"""The click buffer: taps are appended here in the request and written in batches by flush().

Two stores behind one interface, chosen by SHARE_CLICK_BUFFER ("redis" when REDIS_URL is set,
else "memory"):
- a Redis list, shared by every process and surviving their restarts (a tap's push rides in
  the same Lua script as its flags: one round trip, `redis_tap.py`);
- an in-process deque, for the embedded default, which is one process: the in-process
  scheduler flushes it every 5 seconds and attribution flushes it first. Clicks still in it
  when that process stops are lost, and several processes would each hold (and flush) their
  own; run with Redis as soon as there is more than one process.

How flush() stays exactly-once without ever losing a click pushed meanwhile:
1. claim: the pending clicks move, in one atomic step, into a new batch with its own id (on
   Redis: RENAME of the list plus SADD of the id in a Lua script); pushes made meanwhile start a
   new pending list, untouched by this flush.
2. every open batch (this one, and any left by a flush that failed or whose transaction rolled
   back) is inserted skipping uids already stored (`writer.py`): Click.uid is unique, so a
   batch inserted twice, by a retry or by two racing flushes, still gives each click one row.
3. a batch is dropped only after the transaction that inserted it commits (on_commit), so a
   flush inside a transaction that rolls back (an attribution handler that fails) leaves it
   for the next flush.
A lock keeps flushes from doing the same work twice; correctness never depends on it, so a
flush that cannot get it within a few seconds goes ahead (no deadlock with a transaction that
holds SQLite's write lock while the lock holder waits for it).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import partial

import redis
from django.conf import settings
from django.db import transaction

from shoplinks.clicks import redis_tap, writer

# One buffered click, as pushed by record(): (uid, link, product, sharer, user or None,
# visitor id or "", clicked_at as POSIX seconds, agent class, bot, duplicate, rate limited).
ClickRecord = tuple

CHUNK = 2000
LOCK_WAIT_SECONDS = 5
# A Redis lock outlives a crashed holder by at most this long.
LOCK_TTL_SECONDS = 120

_CLAIM = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SADD', KEYS[3], ARGV[1])
end
return redis.call('SMEMBERS', KEYS[3])
"""


class MemoryBuffer:
    def __init__(self) -> None:
        self._pending: deque[ClickRecord] = deque()
        self._batches: dict[str, list[ClickRecord]] = {}
        self._guard = threading.Lock()
        self._flush_lock = threading.Lock()

    def push(self, record: ClickRecord) -> None:
        # deque.append is atomic: no lock on the request's path.
        self._pending.append(record)

    def claim(self) -> list[str]:
        with self._guard:
            taken = []
            # popleft one by one: a push racing with this lands either here or in the next batch.
            for _ in range(len(self._pending)):
                taken.append(self._pending.popleft())
            if taken:
                self._batches[uuid.uuid4().hex] = taken
            return list(self._batches)

    def chunks(self, batch_id: str) -> Iterator[list[ClickRecord]]:
        records = self._batches.get(batch_id, [])
        for start in range(0, len(records), CHUNK):
            yield records[start : start + CHUNK]

    def drop(self, batch_id: str) -> None:
        with self._guard:
            self._batches.pop(batch_id, None)

    def pending_count(self) -> int:
        return len(self._pending) + sum(len(batch) for batch in self._batches.values())

    @contextmanager
    def locked(self, *, wait: bool):
        acquired = self._flush_lock.acquire(timeout=LOCK_WAIT_SECONDS if wait else 0)
        try:
            yield acquired
        finally:
            if acquired:
                self._flush_lock.release()


class RedisBuffer:
    def __init__(self, url: str, prefix: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix
        self.pending_key = f"{prefix}:shoplinks:clicks:pending"
        self.batches_key = f"{prefix}:shoplinks:clicks:batches"
        self.lock_key = f"{prefix}:shoplinks:clicks:lock"
        self._claim = self.client.register_script(_CLAIM)
        # A tap's flags and push in one round trip (redis_tap.push_tap).
        self.tap_script = self.client.register_script(redis_tap.SCRIPT)

    def _batch_key(self, batch_id: str) -> str:
        return f"{self.pending_key}:{batch_id}"

    def push(self, record: ClickRecord) -> None:
        self.client.rpush(self.pending_key, json.dumps(record, separators=(",", ":")))

    def claim(self) -> list[str]:
        batch_id = uuid.uuid4().hex
        keys = [self.pending_key, self._batch_key(batch_id), self.batches_key]
        return sorted(member.decode() for member in self._claim(keys=keys, args=[batch_id]))

    def chunks(self, batch_id: str) -> Iterator[list[ClickRecord]]:
        key, start = self._batch_key(batch_id), 0
        while True:
            rows = self.client.lrange(key, start, start + CHUNK - 1)
            if not rows:
                return
            yield [json.loads(row) for row in rows]
            start += CHUNK

    def drop(self, batch_id: str) -> None:
        pipe = self.client.pipeline()
        pipe.delete(self._batch_key(batch_id))
        pipe.srem(self.batches_key, batch_id)
        pipe.execute()

    def pending_count(self) -> int:
        batch_ids = [m.decode() for m in self.client.smembers(self.batches_key)]
        keys = [self.pending_key, *(self._batch_key(batch_id) for batch_id in batch_ids)]
        return sum(self.client.llen(key) for key in keys)

    @contextmanager
    def locked(self, *, wait: bool):
        lock = self.client.lock(self.lock_key, timeout=LOCK_TTL_SECONDS)
        acquired = lock.acquire(blocking=wait, blocking_timeout=LOCK_WAIT_SECONDS)
        try:
            yield acquired
        finally:
            if acquired:
                # Held past its TTL and taken over: the other flush finishes the work.
                with suppress(redis.exceptions.LockError):
                    lock.release()


_buffers: dict[tuple, MemoryBuffer | RedisBuffer] = {}
_buffers_lock = threading.Lock()


def get_buffer() -> MemoryBuffer | RedisBuffer:
    """The process's buffer for the current settings (tests may switch them)."""
    kind = settings.SHARE_CLICK_BUFFER
    key = (kind, settings.REDIS_URL, settings.SHARE_CLICK_BUFFER_PREFIX)
    buffer = _buffers.get(key)
    if buffer is None:
        with _buffers_lock:
            buffer = _buffers.get(key)
            if buffer is None:
                buffer = (
                    RedisBuffer(settings.REDIS_URL, settings.SHARE_CLICK_BUFFER_PREFIX)
                    if kind == "redis"
                    else MemoryBuffer()
                )
                _buffers[key] = buffer
    return buffer


def push(record: ClickRecord) -> None:
    get_buffer().push(record)


def flush(*, wait: bool = True) -> int:
    """Write every buffered click to the database; returns how many buffered clicks it handled
    (a click that an earlier, interrupted flush had written already counts, but gets no second
    row).

    Safe from any process or thread at any time, inside a transaction or not (inside one, the
    clicks are visible to it at once and leave the buffer when it commits). With wait=False a
    flush already running elsewhere makes this one return 0 at once (the periodic job).
    """
    buffer = get_buffer()
    handled = 0
    with buffer.locked(wait=wait) as acquired:
        if not acquired and not wait:
            return 0
        for batch_id in buffer.claim():
            for records in buffer.chunks(batch_id):
                with transaction.atomic():
                    writer.insert_clicks(records)
                handled += len(records)
            transaction.on_commit(partial(buffer.drop, batch_id))
    return handled
