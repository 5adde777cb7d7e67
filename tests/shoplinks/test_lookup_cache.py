"""The per-process cache in front of the shared one: bounded (least recently used out first),
entries expire, safe across threads; a hot link skips the shared cache, and an unknown code
stays cached here only a few seconds."""

import threading

import pytest
from django.core.cache import cache

from shoplinks import codes, local_cache, lookup
from shoplinks.local_cache import ABSENT, LocalCache
from shoplinks.models import ShareLink
from tests.factories import UserFactory
from tests.shoplinks.tap_support import new_link, product_for_sale


class Clock:
    """local_cache's monotonic clock under the test's control."""

    def __init__(self, monkeypatch):
        self.now = 1000.0
        monkeypatch.setattr(local_cache, "monotonic", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_the_least_recently_used_entry_goes_first_beyond_the_bound():
    """With room for two, reading `a` keeps it: adding `c` drops `b`, not `a`."""
    held = LocalCache(2)
    held.set("a", 1, 60)
    held.set("b", 2, 60)
    assert held.get("a") == 1
    held.set("c", 3, 60)
    assert [held.get(key) for key in "abc"] == [1, ABSENT, 3]
    assert len(held) == 2


def test_an_entry_expires_after_its_seconds(monkeypatch):
    """Held until its TTL has passed, then absent (and None is a value like any other)."""
    clock = Clock(monkeypatch)
    held = LocalCache(10)
    held.set("a", None, 5)
    clock.advance(4.9)
    assert held.get("a") is None
    clock.advance(0.2)
    assert held.get("a") is ABSENT
    assert len(held) == 0


def test_threads_reading_and_writing_at_once_keep_the_bound():
    """Eight threads setting and reading overlapping keys: no error, never over the bound,
    and every value read is the one written for that key."""
    held = LocalCache(50)
    errors = []

    def worker(offset: int) -> None:
        try:
            for number in range(3000):
                key = f"k{(number + offset) % 200}"
                held.set(key, key, 60)
                value = held.get(key)
                assert value in (key, ABSENT)
                assert len(held) <= 50
        except Exception as error:  # reported by the main thread, where pytest sees it
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n * 37,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(held) <= 50


@pytest.mark.django_db
def test_a_link_looked_up_recently_skips_the_shared_cache(monkeypatch, django_assert_num_queries):
    """The second lookup of a link is answered from this process: no SQL, no shared cache;
    once the local entry expires, the shared cache answers again."""
    clock = Clock(monkeypatch)
    link = new_link()
    first = lookup.link_info(link.code)
    reads = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *a: reads.append(key) or real_get(key, *a))
    with django_assert_num_queries(0):
        assert lookup.link_info(link.code) == first
    assert reads == []
    clock.advance(lookup.settings.SHARE_LINK_LOCAL_CACHE_SECONDS + 1)
    with django_assert_num_queries(0):
        assert lookup.link_info(link.code) == first
    assert reads == [lookup.cache_key(link.code)]


@pytest.mark.django_db
def test_an_unknown_code_is_cached_here_only_a_few_seconds(monkeypatch):
    """A code looked up before its link existed (made without forget(), as by another process
    whose forget() cannot reach this one): found once LOCAL_MISS_SECONDS have passed, even
    while the shared cache still holds the miss for a minute."""
    clock = Clock(monkeypatch)
    code = codes.new_code()
    assert lookup.link_info(code) is None
    ShareLink.objects.create(code=code, sharer=UserFactory(), product=product_for_sale())
    # The other process's forget() emptied the shared cache's miss; ours is still held.
    cache.delete(lookup.cache_key(code))
    clock.advance(lookup.LOCAL_MISS_SECONDS - 1)
    assert lookup.link_info(code) is None
    clock.advance(2)
    assert lookup.link_info(code).code == code


@pytest.mark.django_db
def test_making_a_link_drops_this_processs_cached_miss():
    """forget() (called by link_get_or_create) drops the local miss too: found at once."""
    code = codes.new_code()
    assert lookup.link_info(code) is None
    ShareLink.objects.create(code=code, sharer=UserFactory(), product=product_for_sale())
    lookup.forget(code)
    assert lookup.link_info(code).code == code
