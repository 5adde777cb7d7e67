"""The domain events posts publishes (DESIGN.md "Domain events"), each with its payload's shape.

Every payload holds ids only. Events are published inside the transaction of the change, so a
rolled-back like or comment announces nothing. One's own like or comment is published too: the
feed decides not to notify oneself.
"""

from __future__ import annotations

from backend.events.services import publish

POST_LIKED = "post.liked"
POST_COMMENTED = "post.commented"
USER_MENTIONED = "user.mentioned"
POST_PUBLISHED = "post.published"
POST_DELETED = "post.deleted"


def post_published(post) -> None:
    """`post.published` {post, author, visibility, published_at}: once, when a post first goes
    out (created published, or a draft published). Feeds fan it out and tell followers."""
    publish(
        POST_PUBLISHED,
        {
            "post": post.pk,
            "author": post.author_id,
            "visibility": post.visibility,
            "published_at": post.published_at.isoformat(),
        },
    )


def post_deleted(post) -> None:
    """`post.deleted` {post, author}: the author deleted a post (feeds drop it)."""
    publish(POST_DELETED, {"post": post.pk, "author": post.author_id})


def post_liked(*, actor_id: int, post_id: int, post_author_id: int) -> None:
    """`post.liked` {actor, target: post, post_author}."""
    publish(POST_LIKED, {"actor": actor_id, "target": post_id, "post_author": post_author_id})


def post_commented(*, actor_id: int, post_id: int, post_author_id: int, comment_id: int) -> None:
    """`post.commented` {actor, target: post, post_author, comment}."""
    publish(
        POST_COMMENTED,
        {
            "actor": actor_id,
            "target": post_id,
            "post_author": post_author_id,
            "comment": comment_id,
        },
    )


def user_mentioned(
    *, actor_id: int, user_id: int, post_id: int, comment_id: int | None = None
) -> None:
    """`user.mentioned` {actor, target: the mentioned user, post, comment (null in a post)}."""
    publish(
        USER_MENTIONED,
        {"actor": actor_id, "target": user_id, "post": post_id, "comment": comment_id},
    )
