"""Fixtures of the shoplinks tests."""

import uuid

import pytest

from shoplinks import lookup
from shoplinks.clicks import buffer


@pytest.fixture(autouse=True)
def _own_click_buffer(settings):
    """Each test gets a click buffer of its own (a fresh key prefix: a new in-process deque, or
    new Redis keys), so clicks buffered and never flushed by one test never reach another's
    database."""
    settings.SHARE_CLICK_BUFFER_PREFIX = f"test-{uuid.uuid4().hex}"
    # Nor does a link (or a miss) that one test's process cached reach another's.
    lookup.forget_local()
    yield
    store = buffer.get_buffer()
    if isinstance(store, buffer.RedisBuffer):
        keys = list(store.client.scan_iter(f"{settings.SHARE_CLICK_BUFFER_PREFIX}:*"))
        if keys:
            store.client.delete(*keys)
