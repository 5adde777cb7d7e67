"""Discover's scores: engagement decayed by age (DESIGN.md "Feeds"), kept in a table.

    score = (W_LIKE·likes + W_SAVE·saves + W_COMMENT·comments + W_PURCHASE·purchases through
             links) / (age_hours + 2) ^ AGE_EXPONENT

Summing likes and orders for every post on every page read would cost a scan per read; instead
`refresh_scores` (a scheduled job, every 10 minutes, and `manage.py refresh_discover`) rewrites
one DiscoverEntry per recent public post in the "all" chip and one per top-level category of the
products it tags, so a page read is an indexed top-K of one chip. Only public posts are ranked:
discovery shows strangers' posts, and a narrower post would only crowd the top-K and then be
filtered out for most readers. What changes between refreshes (deletion, hiding, a visibility
change, blocks, mutes) is applied again when a page is read.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Visibility
from commerce.catalog import selectors as catalog
from feed.discover import chips
from feed.models import DiscoverEntry
from posts.models import Post, ProductTag
from shoplinks import selectors as shoplinks

# Rows written per INSERT statement.
BATCH = 2000


def score(*, likes: int, saves: int, comments: int, purchases: int, age_hours: float) -> float:
    """The formula, with the weights and the exponent in settings."""
    engagement = (
        settings.FEED_DISCOVER_W_LIKE * likes
        + settings.FEED_DISCOVER_W_SAVE * saves
        + settings.FEED_DISCOVER_W_COMMENT * comments
        + settings.FEED_DISCOVER_W_PURCHASE * purchases
    )
    return engagement / (max(age_hours, 0.0) + 2) ** settings.FEED_DISCOVER_AGE_EXPONENT


def top_level_slugs() -> dict[int, str]:
    """{category id: slug of its top-level ancestor} for the whole tree; one query."""
    found: dict[int, str] = {}

    def walk(node, root_slug: str) -> None:
        found[node.id] = root_slug
        for child in node.children:
            walk(child, root_slug)

    for root in catalog.category_tree():
        walk(root, root.slug)
    return found


def refresh_scores(now: datetime.datetime | None = None) -> int:
    """Rank every public post published in the last FEED_DISCOVER_WINDOW_DAYS, replacing the
    previous ranking in one transaction (readers see the old one until it commits). Returns the
    number of entries written. Four reads whatever the number of posts."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=settings.FEED_DISCOVER_WINDOW_DAYS)
    recent = Post.objects.filter(
        status=Post.Status.PUBLISHED,
        deleted_at__isnull=True,
        hidden_at__isnull=True,
        visibility=Visibility.PUBLIC,
        published_at__gte=since,
        published_at__lte=now,
    )
    purchases = shoplinks.credited_purchases_by_post(published_since=since)
    roots = top_level_slugs()
    post_chips: dict[int, set[str]] = defaultdict(set)
    tagged = ProductTag.objects.filter(post__in=recent.values("pk")).values_list(
        "post_id", "product__category_id"
    )
    for post_id, category_id in tagged:
        if category_id in roots:
            post_chips[post_id].add(roots[category_id])

    entries = []
    rows = recent.values_list(
        "pk", "author_id", "published_at", "like_count", "save_count", "comment_count"
    )
    for pk, author_id, published_at, likes, saves, comments in rows.iterator(chunk_size=BATCH):
        value = score(
            likes=likes,
            saves=saves,
            comments=comments,
            purchases=purchases.get(pk, 0),
            age_hours=(now - published_at).total_seconds() / 3600,
        )
        for chip in (DiscoverEntry.ALL, *sorted(post_chips.get(pk, ()))):
            entries.append(
                DiscoverEntry(category=chip, post_id=pk, author_id=author_id, score=value)
            )
    with transaction.atomic():
        DiscoverEntry.objects.all().delete()
        DiscoverEntry.objects.bulk_create(entries, batch_size=BATCH)
    chips.remember_chips()
    return len(entries)
