"""The code → link lookup that every tap makes, with two caches in front of it.

A link never changes once made (code, sharer, product and post are fixed), so its cached entry
needs no invalidation; only the sharer's username, shown by the JSON answer, may be stale for
up to SHARE_LINK_CACHE_SECONDS after an account is renamed or anonymised. Unknown codes are
cached too, briefly, so that a scan of random codes costs the database one query per code and
per SHARE_LINK_MISS_CACHE_SECONDS at most.

First a per-process LRU (`local_cache.py`, SHARE_LINK_LOCAL_CACHE_ENTRIES for
SHARE_LINK_LOCAL_CACHE_SECONDS): a hot link costs no round trip to the shared cache (Redis), which
was a quarter of a tap's time there. It keeps an unknown code for LOCAL_MISS_SECONDS at most: no
other process can drop that entry when the code is then made (forget() reaches this process's
and the shared cache only), and a code is random, so nobody taps it before it exists except by
this tiny race.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from shoplinks import codes
from shoplinks.local_cache import ABSENT, LocalCache
from shoplinks.models import ShareLink

# The cached value of an unknown code (a tuple is a known one).
_MISS = 0
LOCAL_MISS_SECONDS = 5

_local = LocalCache(settings.SHARE_LINK_LOCAL_CACHE_ENTRIES)


@dataclass(frozen=True, slots=True)
class LinkInfo:
    """What a tap needs to know about its link, without touching the database."""

    id: int
    code: str
    product_id: int
    post_id: int | None
    sharer_id: int
    sharer_username: str


def cache_key(code: str) -> str:
    return f"shoplinks:link:{code}"


def _remember_locally(key: str, info: LinkInfo | None) -> None:
    if info is None:
        _local.set(key, _MISS, min(LOCAL_MISS_SECONDS, settings.SHARE_LINK_MISS_CACHE_SECONDS))
    else:
        _local.set(key, info, settings.SHARE_LINK_LOCAL_CACHE_SECONDS)


def _shared_lookup(key: str, code: str) -> LinkInfo | None:
    cached = cache.get(key)
    if cached == _MISS:
        return None
    if cached is not None:
        return LinkInfo(*cached)
    row = (
        ShareLink.objects.filter(code=code)
        .values_list("id", "code", "product_id", "post_id", "sharer_id", "sharer__username")
        .first()
    )
    if row is None:
        cache.set(key, _MISS, settings.SHARE_LINK_MISS_CACHE_SECONDS)
        return None
    cache.set(key, tuple(row), settings.SHARE_LINK_CACHE_SECONDS)
    return LinkInfo(*row)


def link_info(code: str) -> LinkInfo | None:
    """The link of `code`, or None when there is none; no SQL when a cache has the answer, and
    no round trip at all when this process looked it up recently."""
    if not codes.is_well_formed(code):
        return None
    key = cache_key(code)
    local = _local.get(key)
    if local is not ABSENT:
        return None if local == _MISS else local
    info = _shared_lookup(key, code)
    _remember_locally(key, info)
    return info


def forget(code: str) -> None:
    """Drop a cached miss for `code` (a link was just made with it)."""
    key = cache_key(code)
    _local.delete(key)
    cache.delete(key)


def forget_local() -> None:
    """Empty this process's cache (tests that switch databases or caches under it)."""
    _local.clear()
