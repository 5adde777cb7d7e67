"""Hashtag feeds: the visible posts carrying a hashtag, newest first, by keyset cursor (the
home timeline's cursor format, feed/cursors.py). Names are matched as posts stores them:
NFKC-normalised and case-folded, so #Mango, #mango and #ＭＡＮＧＯ are one feed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from backend.accounts.selectors import Viewer
from backend.search import normalise
from feed.cursors import Position, decode, encode
from feed.discover.errors import InvalidHashtag
from posts import selectors as posts
from posts.models import Hashtag, Post

MAX_LENGTH = Hashtag._meta.get_field("name").max_length


@dataclass(frozen=True)
class HashtagPage:
    hashtag: str
    posts: list[Post]
    next_cursor: str | None


def hashtag_name(raw: str) -> str:
    """The stored form of a hashtag as a visitor typed it ("#Mango" -> "mango");
    InvalidHashtag (400) for an empty or overlong one or one with spaces or another #."""
    name = normalise(raw.strip()).removeprefix("#")
    if not name or len(name) > MAX_LENGTH or any(ch.isspace() or ch == "#" for ch in name):
        raise InvalidHashtag()
    return name


def hashtag_page(viewer: Viewer, *, hashtag: str, cursor: str | None, limit: int) -> HashtagPage:
    """One page of the posts tagged `hashtag` that `viewer` may see (muted authors left out),
    newest first, after `cursor`; one query. An unknown hashtag is an empty feed. Raises
    InvalidHashtag or InvalidCursor (400)."""
    name = hashtag_name(hashtag)
    query = posts.with_viewer_flags(
        posts.visible_posts(viewer, exclude_muted=True).filter(post_hashtags__hashtag__name=name),
        viewer,
    )
    if cursor is not None:
        position = decode(cursor)
        # `lte` first: an index condition the scan can start at (as the home timeline does).
        query = query.filter(
            Q(published_at__lte=position.published_at)
            & (
                Q(published_at__lt=position.published_at)
                | Q(published_at=position.published_at, pk__lt=position.post_id)
            )
        )
    rows = list(query.order_by("-published_at", "-id")[: limit + 1])
    page, more = rows[:limit], len(rows) > limit
    next_cursor = encode(Position(page[-1].published_at, page[-1].pk)) if more else None
    return HashtagPage(hashtag=name, posts=page, next_cursor=next_cursor)
