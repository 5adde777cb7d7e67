"""Writes of posts: authoring, engagement (likes, saves, comments) and moderation.

Import from here (`from posts import services`); the submodules are its rooms.
"""

from posts.services.authoring import post_create, post_delete, post_update
from posts.services.engagement import (
    collection_create,
    comment_create,
    comment_delete,
    post_like,
    post_save,
    post_unlike,
    post_unsave,
)
from posts.services.moderation import post_unhide, report_create, report_review

__all__ = [
    "collection_create",
    "comment_create",
    "comment_delete",
    "post_create",
    "post_delete",
    "post_like",
    "post_save",
    "post_unhide",
    "post_unlike",
    "post_unsave",
    "post_update",
    "report_create",
    "report_review",
]
