"""Which posts and comments a viewer may see, and the lists built on that rule.

One rule everywhere (API.md "Posts", issue 5 "Visibility everywhere"): others see a post when it
is published, not deleted, not hidden by moderation, and its visibility admits them
(`visible_author_filter`: followers, friends, close friends, blocks either way, present authors).
The author also sees their own drafts and hidden posts. Everything else is a 404.
"""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, QuerySet, Subquery

from backend.accounts.models import User
from backend.accounts.selectors import Viewer, blocked_ids, visible_author_filter
from backend.accounts.selectors.users import signed_in
from posts.errors import CollectionNotFound, CommentNotFound, PostNotFound
from posts.models import Collection, Comment, Post, PostMedia, ProductTag, Save

# Discovery weights likes, saves and comments this way (DESIGN.md "Feeds"); a product's posts
# are ranked by the same engagement without the age decay.
ENGAGEMENT = F("like_count") + 3 * F("save_count") + 2 * F("comment_count")


def _is_self(viewer: Viewer, user: User) -> bool:
    return signed_in(viewer) and viewer.pk == user.pk


def visible_posts(viewer: Viewer, *, exclude_muted: bool = False) -> QuerySet[Post]:
    """Published, live (not deleted, not hidden) posts `viewer` may see, authors joined; the
    graph is read in subqueries of the same statement. Unordered: callers order. Feeds pass
    `exclude_muted` to drop the authors the viewer muted."""
    return (
        Post.objects.filter(
            status=Post.Status.PUBLISHED, deleted_at__isnull=True, hidden_at__isnull=True
        )
        .filter(visible_author_filter(viewer, exclude_muted=exclude_muted))
        .select_related("author")
    )


def post_for_viewer(*, viewer: Viewer, post_id: int) -> Post:
    """The post if `viewer` may see it (the author: any of their own posts not deleted, drafts
    and hidden ones included), author joined; one query. PostNotFound (404) otherwise."""
    own = (
        Post.objects.filter(pk=post_id, author_id=viewer.pk, deleted_at__isnull=True)
        if signed_in(viewer)
        else Post.objects.none()
    )
    post = (own | visible_posts(viewer).filter(pk=post_id)).select_related("author").first()
    if post is None:
        raise PostNotFound()
    return post


def user_posts(*, viewer: Viewer, author: User) -> QuerySet[Post]:
    """`author`'s published posts that `viewer` may see, newest first. The author sees their
    hidden ones too (marked hidden); drafts are in `drafts`."""
    if _is_self(viewer, author):
        posts = Post.objects.filter(
            author=author, status=Post.Status.PUBLISHED, deleted_at__isnull=True
        ).select_related("author")
    else:
        posts = visible_posts(viewer).filter(author=author)
    return posts.order_by("-published_at", "-id")


def product_posts(*, viewer: Viewer, product_id: int) -> QuerySet[Post]:
    """Posts `viewer` may see that tag the product, most engaging first (likes + 3·saves +
    2·comments), then newest."""
    tagged = ProductTag.objects.filter(product_id=product_id).values("post_id")
    return (
        visible_posts(viewer)
        .filter(pk__in=tagged)
        .alias(engagement=ENGAGEMENT)
        .order_by("-engagement", "-published_at", "-id")
    )


def saved_posts(*, user: User, collection: Collection | None = None) -> QuerySet[Post]:
    """Posts `user` saved (in `collection` if given) and may still see, last saved first."""
    saves = Save.objects.filter(user=user, post=OuterRef("pk"))
    if collection is not None:
        saves = saves.filter(collection=collection)
    return (
        visible_posts(user)
        .annotate(saved_at=Subquery(saves.values("created_at")[:1]))
        .filter(saved_at__isnull=False)
        .order_by("-saved_at", "-id")
    )


def drafts(*, user: User) -> QuerySet[Post]:
    """`user`'s drafts, last created first."""
    return (
        Post.objects.filter(author=user, status=Post.Status.DRAFT, deleted_at__isnull=True)
        .select_related("author")
        .order_by("-created_at", "-id")
    )


def collections_of(user: User) -> QuerySet[Collection]:
    """`user`'s collections by name, each with `post_count` (saves in it)."""
    return Collection.objects.filter(owner=user).annotate(post_count=Count("saves"))


def collection_of(*, user: User, collection_id: int) -> Collection:
    """One of `user`'s collections, or CollectionNotFound."""
    collection = Collection.objects.filter(owner=user, pk=collection_id).first()
    if collection is None:
        raise CollectionNotFound()
    return collection


def comments_for(*, viewer: Viewer, post: Post) -> QuerySet[Comment]:
    """The live comments on `post` (which the caller has checked `viewer` may see), oldest
    first (newest last), authors joined. Comments by users blocked either way with the viewer,
    and by deleted or deactivated accounts, are left out."""
    comments = (
        Comment.objects.filter(
            post=post,
            deleted_at__isnull=True,
            author__is_active=True,
            author__anonymised_at__isnull=True,
        )
        .select_related("author")
        .order_by("created_at", "id")
    )
    if signed_in(viewer):
        comments = comments.exclude(author_id__in=blocked_ids(viewer))
    return comments


def comment_for(*, viewer: Viewer, post: Post, comment_id: int) -> Comment:
    """A live comment of `post` that `viewer` may see, or CommentNotFound (404)."""
    comment = comments_for(viewer=viewer, post=post).filter(pk=comment_id).first()
    if comment is None:
        raise CommentNotFound()
    return comment


def media_visible_to(viewer: Viewer, media_id: int) -> bool:
    """Whether the media is in a post `viewer` may see (the media app's viewer rule; the
    uploader is admitted by the media app itself); one query."""
    posts = visible_posts(viewer).values("pk")
    return PostMedia.objects.filter(media_id=media_id, post__in=posts).exists()
