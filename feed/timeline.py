"""The home timeline as cards: a store's page of posts made into what a card shows."""

from __future__ import annotations

from dataclasses import dataclass

from backend.accounts.models import User
from feed.store import timeline_store
from posts import selectors as posts

HOME_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50


@dataclass(frozen=True)
class HomePage:
    cards: list[posts.PostView]
    next_cursor: str | None


def home_cards(viewer: User, *, cursor: str | None, limit: int = HOME_PAGE_SIZE) -> HomePage:
    """One page of `viewer`'s home timeline, newest first, in a fixed number of queries
    whatever `limit` (1..MAX_PAGE_SIZE): the store's page, then the cards' batch reads.
    Raises InvalidCursor (400) for a cursor the feed did not give out."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    page = timeline_store().home_page(viewer, cursor=cursor, limit=limit)
    return HomePage(cards=posts.post_views(page.posts, viewer=viewer), next_cursor=page.next_cursor)
