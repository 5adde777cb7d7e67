"""Reads of posts: who may see what (`visibility`) and what a card or page shows (`cards`).

Import from here (`from posts import selectors`); the submodules are its rooms.
"""

from posts.selectors.cards import (
    PostView,
    author_payload,
    post_view,
    post_views,
    with_viewer_flags,
)
from posts.selectors.search import search_posts
from posts.selectors.visibility import (
    ENGAGEMENT,
    collection_of,
    collections_of,
    comment_for,
    comments_for,
    drafts,
    media_visible_to,
    post_for_viewer,
    product_posts,
    saved_posts,
    user_posts,
    visible_posts,
)

__all__ = [
    "ENGAGEMENT",
    "PostView",
    "author_payload",
    "collection_of",
    "collections_of",
    "comment_for",
    "comments_for",
    "drafts",
    "media_visible_to",
    "post_for_viewer",
    "post_view",
    "post_views",
    "product_posts",
    "saved_posts",
    "search_posts",
    "user_posts",
    "visible_posts",
    "with_viewer_flags",
]
