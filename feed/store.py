"""Where home timelines come from: one interface, a store per way of running.

The database store (the embedded default) reads a page straight from the posts table: one
indexed query, newest first, after a keyset cursor. Visibility, blocks, mutes, moderation and
deletion are applied in that same query, at read time, so a change to any of them shows on the
next page read. A store that keeps precomputed timelines (Redis, fan-out on write) answers the
same question with the same guarantees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db.models import Q, QuerySet

from backend.accounts.models import Follow, User
from feed.cursors import Position, decode, encode
from posts import selectors as posts
from posts.models import Post


@dataclass(frozen=True)
class TimelinePage:
    # The viewer may see every one of them; authors joined; newest first.
    posts: list[Post]
    next_cursor: str | None


class TimelineStore(Protocol):
    def home_page(self, viewer: User, *, cursor: str | None, limit: int) -> TimelinePage:
        """A page of the viewer's home timeline: posts of the people they follow and their own,
        after `cursor` (a previous page's `next_cursor`; None for the newest).
        Raises feed.errors.InvalidCursor for a cursor it did not give out."""
        ...


def _after(position: Position) -> Q:
    # The redundant `lte` lets the database start the index scan at the cursor rather than
    # filter every newer row (a row comparison written as an OR is not an index condition).
    return Q(published_at__lte=position.published_at) & (
        Q(published_at__lt=position.published_at)
        | Q(published_at=position.published_at, pk__lt=position.post_id)
    )


def home_posts(viewer: User) -> QuerySet[Post]:
    """Every post `viewer`'s home may show, unordered: their own and their followees' that they
    may see, muted authors left out (what the database store pages through; the Redis store
    filters its ids with it, so the two agree)."""
    following = Follow.objects.filter(follower=viewer).values("followee")
    return posts.visible_posts(viewer, exclude_muted=True).filter(
        Q(author=viewer) | Q(author__in=following)
    )


class DatabaseTimelineStore:
    """The home timeline read from the posts table in one query per page."""

    def home_page(self, viewer: User, *, cursor: str | None, limit: int) -> TimelinePage:
        query = posts.with_viewer_flags(home_posts(viewer), viewer)
        if cursor is not None:
            query = query.filter(_after(decode(cursor)))
        # One row more than the page tells whether another page follows, without a count.
        rows = list(query.order_by("-published_at", "-id")[: limit + 1])
        page, more = rows[:limit], len(rows) > limit
        last = page[-1] if page else None
        next_cursor = encode(Position(last.published_at, last.pk)) if more and last else None
        return TimelinePage(posts=page, next_cursor=next_cursor)


def timeline_store() -> TimelineStore:
    """The store settings.FEED_STORE names: "database" (the default) or "redis"."""
    if settings.FEED_STORE == "redis":
        from feed.redis_store import RedisTimelineStore

        return RedisTimelineStore()
    return DatabaseTimelineStore()
