"""Search across posts, products and people (API.md `GET search`, the `/search` page).

The query is checked here once for the API and the page alike (empty, too long or unreadable is
an InvalidSearch, 400); each kind is found by its owner's selector: posts by
`posts.selectors.search_posts` (visibility and blocks applied there), products by the catalog's
`search_products` (for sale only), people by `accounts.selectors.search.search_users` (blocks
either way applied there). A page is numbered: relevance orders have no stable key to resume
after, and nobody reads past the first few pages of a search.

Cost of a page: one query for the rows (one more than a page, to know whether another follows);
posts then add their cards' batch reads (`post_views`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from backend.accounts.selectors import Viewer
from backend.accounts.selectors.search import search_users
from backend.errors import InvalidInput
from backend.search import search_terms
from commerce.catalog.selectors import search_products
from posts import selectors as posts
from posts.selectors.search import SORTS

KINDS = ("posts", "products", "users")
PAGE_SIZE = 20
# Past this page a search stops: refine the words instead.
MAX_PAGES = 25


class InvalidSearch(InvalidInput):
    code = "invalid_search"
    message = "Type a few words to search for."


@dataclass(frozen=True)
class SearchPage:
    kind: str
    query: str
    sort: str
    page: int
    # PostViews, products (with listing figures) or users (with followers_count), in order.
    items: list[Any]
    has_next: bool


def clean_query(raw: str | None) -> str:
    """`raw` with its spaces tidied; InvalidSearch when there is nothing to look for, when it
    is longer than SEARCH_QUERY_MAX_LENGTH, or holds a character no text can (NUL)."""
    query = " ".join((raw or "").split())
    limit = settings.SEARCH_QUERY_MAX_LENGTH
    if not query:
        raise InvalidSearch(fields={"q": [InvalidSearch.message]})
    if len(query) > limit:
        message = f"Keep the search to {limit} characters or fewer."
        raise InvalidSearch(message, fields={"q": [message]})
    if "\x00" in query:
        message = "The search holds a character that cannot be searched for."
        raise InvalidSearch(message, fields={"q": [message]})
    return query


def search(
    viewer: Viewer,
    *,
    query: str,
    kind: str = "posts",
    sort: str = "best",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchPage:
    """Page `page` (from 1) of `kind`'s matches for `query` as `viewer` may see them; `sort`
    orders posts only (SORTS). Raises InvalidSearch for a bad query, kind, sort or page."""
    query = clean_query(query)
    if kind not in KINDS:
        raise InvalidSearch(f"Search one of: {', '.join(KINDS)}.", fields={"type": ["Unknown."]})
    if sort not in SORTS:
        raise InvalidSearch(f"Sort by one of: {', '.join(SORTS)}.", fields={"sort": ["Unknown."]})
    if not 1 <= page <= MAX_PAGES:
        raise InvalidSearch(f"Pages run from 1 to {MAX_PAGES}.", fields={"page": ["Out of range."]})
    start = (page - 1) * page_size
    window = slice(start, start + page_size + 1)
    if kind == "posts":
        rows = list(posts.search_posts(viewer, query, sort=sort)[window])
        items: list[Any] = posts.post_views(rows[:page_size], viewer=viewer)
    elif kind == "products":
        rows = list(search_products(search_terms(query))[window])
        items = rows[:page_size]
    else:
        rows = list(search_users(viewer, query)[window])
        items = rows[:page_size]
    has_next = len(rows) > page_size and page < MAX_PAGES
    return SearchPage(kind, query, sort, page, items, has_next)
