"""The code → link lookup that every tap makes, with the cache in front of it.

A link never changes once made (code, sharer, product and post are fixed), so its cached entry
needs no invalidation; only the sharer's username, shown by the JSON answer, may be stale for
up to SHARE_LINK_CACHE_SECONDS after an account is renamed or anonymised. Unknown codes are
cached too, briefly, so that a scan of random codes costs the database one query per code and
per SHARE_LINK_MISS_CACHE_SECONDS at most.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from shoplinks import codes
from shoplinks.models import ShareLink

# The cached value of an unknown code (a tuple is a known one).
_MISS = 0


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


def link_info(code: str) -> LinkInfo | None:
    """The link of `code`, or None when there is none; no SQL when the cache has the answer."""
    if not codes.is_well_formed(code):
        return None
    key = cache_key(code)
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


def forget(code: str) -> None:
    """Drop a cached miss for `code` (a link was just made with it)."""
    cache.delete(cache_key(code))
