"""Discover's category chips: "All" and each top-level category that has ranked posts.

Worked out when the scores are refreshed and kept in the cache until the next refresh, so a page
read checks its chip without a query; a cold cache (a restart with the local-memory cache) costs
two queries once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from commerce.catalog import selectors as catalog
from feed.models import DiscoverEntry

CACHE_KEY = "feed:discover:chips"
# Longer than the refresh period: the refresh rewrites it; this only bounds a stale copy.
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class Chip:
    slug: str
    name: str


ALL_CHIP = Chip(DiscoverEntry.ALL, "All")


def compute_chips() -> list[Chip]:
    """Two queries: the chips that have entries, then their names in the catalog's order."""
    ranked = set(
        DiscoverEntry.objects.exclude(category=DiscoverEntry.ALL)
        .order_by()
        .values_list("category", flat=True)
        .distinct()
    )
    found = [Chip(root.slug, root.name) for root in catalog.category_tree() if root.slug in ranked]
    return [ALL_CHIP, *found]


def remember_chips() -> list[Chip]:
    chips = compute_chips()
    cache.set(CACHE_KEY, [(chip.slug, chip.name) for chip in chips], CACHE_SECONDS)
    return chips


def chips() -> list[Chip]:
    """The chips, "All" first then the catalog's order."""
    kept = cache.get(CACHE_KEY)
    if kept is None:
        return remember_chips()
    return [Chip(slug, name) for slug, name in kept]


def is_chip(slug: str) -> bool:
    return slug == DiscoverEntry.ALL or any(chip.slug == slug for chip in chips())
