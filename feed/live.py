"""The home page's "new posts" pill: when a post goes out, tell the author's followers who may
see it, over their open sockets.

Best-effort and cheap: one query finds the recipients, one finds the post as it is now (a post
deleted, hidden or narrowed before the event was handled tells no one), and nothing is stored;
a follower with no open page simply misses the pill and sees the post on their next visit.
"""

from __future__ import annotations

from django.db.models import QuerySet

from backend.accounts.models import Block, CloseFriend, Follow, Mute, User, Visibility
from backend.events.registry import subscribe
from backend.realtime.send import send_to_user_on_commit
from posts import selectors as posts

NEW_POST = "feed.new_post"


def register() -> None:
    subscribe("post.published", on_post_published, key="feed.live.new_post")


def audience(author: User, visibility: str) -> QuerySet[Follow]:
    """Ids (`follower`) of `author`'s followers who may see a post of theirs at `visibility`
    and want it in their feeds (not muted): `may_view` for all followers at once."""
    if not author.is_active or author.anonymised_at is not None:
        return Follow.objects.none()
    followers = Follow.objects.filter(
        followee=author, follower__is_active=True, follower__anonymised_at__isnull=True
    )
    if visibility == Visibility.FRIENDS:
        followers = followers.filter(
            follower__in=Follow.objects.filter(follower=author).values("followee")
        )
    elif visibility == Visibility.CLOSE_FRIENDS:
        followers = followers.filter(
            follower__in=CloseFriend.objects.filter(owner=author).values("friend")
        )
    return (
        followers.exclude(follower__in=Mute.objects.filter(muted=author).values("muter"))
        .exclude(follower__in=Block.objects.filter(blocker=author).values("blocked"))
        .exclude(follower__in=Block.objects.filter(blocked=author).values("blocker"))
        .values("follower")
    )


def on_post_published(event) -> None:
    """`post.published` {post, author, ...}: push `feed.new_post` to each follower who may see
    the post now."""
    author = User.objects.filter(pk=event.payload["author"]).first()
    if author is None:
        return
    # As the author sees it: the post must still be out (published, not deleted or hidden),
    # and its visibility now is what counts.
    post = posts.visible_posts(author).filter(pk=event.payload["post"]).first()
    if post is None or post.author_id != author.pk:
        return
    message = {
        "type": NEW_POST,
        "post": post.pk,
        "author": posts.author_payload(author),
    }
    for follower_id in audience(author, post.visibility).values_list("follower", flat=True):
        send_to_user_on_commit(follower_id, message)
