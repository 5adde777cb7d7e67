"""What people do with others' posts: like, save (into collections) and comment.

Counts on the post move with F() in the transaction that adds or removes the row they count, so
concurrent likes add up exactly and a count never goes below zero. Only someone who may see a
post may like, save or comment on it (a block either way makes it a 404).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from backend.accounts.models import User
from posts import events
from posts.errors import (
    CollectionExists,
    CollectionNotFound,
    InvalidCollection,
    InvalidComment,
    NotCommentAuthor,
    PostNotFound,
)
from posts.models import COMMENT_MAX_LENGTH, Collection, Comment, Like, Post, Save
from posts.selectors import visible_posts
from posts.services import content

COLLECTION_NAME_MAX_LENGTH = Collection._meta.get_field("name").max_length


def _require_visible(user: User, post: Post) -> None:
    """PostNotFound unless `post` is published, live and visible to `user`; one query."""
    if not visible_posts(user).filter(pk=post.pk).exists():
        raise PostNotFound()


def _count(post: Post, field: str, delta: int) -> None:
    posts = Post.objects.filter(pk=post.pk)
    if delta < 0:
        posts = posts.filter(**{f"{field}__gte": -delta})
    posts.update(**{field: F(field) + delta})


@transaction.atomic
def post_like(*, user: User, post: Post) -> bool:
    """Likes the post once (again is a no-op); publishes `post.liked` for a new like. Returns
    whether the like is new."""
    _require_visible(user, post)
    _, created = Like.objects.get_or_create(user=user, post=post)
    if created:
        _count(post, "like_count", 1)
        events.post_liked(actor_id=user.pk, post_id=post.pk, post_author_id=post.author_id)
    return created


@transaction.atomic
def post_unlike(*, user: User, post: Post) -> bool:
    """Takes the user's like back if there is one; returns whether there was."""
    deleted, _ = Like.objects.filter(user=user, post=post).delete()
    if deleted:
        _count(post, "like_count", -1)
    return bool(deleted)


def _clean_collection_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > COLLECTION_NAME_MAX_LENGTH:
        message = f"Name the collection in 1 to {COLLECTION_NAME_MAX_LENGTH} characters."
        raise InvalidCollection(message, fields={"name": [message]})
    return name


@transaction.atomic
def collection_create(*, owner: User, name: str) -> Collection:
    """A new named collection of `owner`'s; CollectionExists (409) if the name is taken."""
    name = _clean_collection_name(name)
    if Collection.objects.filter(owner=owner, name=name).exists():
        raise CollectionExists()
    return Collection.objects.create(owner=owner, name=name)


@transaction.atomic
def post_save(*, user: User, post: Post, collection: Collection | str | None = None) -> Save:
    """Saves the post for `user`, into `collection`: one of the user's Collection rows, or a
    name (the user's collection of that name, created if they have none). Saving again is a
    no-op, or moves the save into the collection given."""
    _require_visible(user, post)
    target = collection
    if isinstance(collection, str):
        target, _ = Collection.objects.get_or_create(
            owner=user, name=_clean_collection_name(collection)
        )
    elif collection is not None and collection.owner_id != user.pk:
        raise CollectionNotFound()
    save, created = Save.objects.get_or_create(
        user=user, post=post, defaults={"collection": target}
    )
    if created:
        _count(post, "save_count", 1)
    elif target is not None and save.collection_id != target.pk:
        save.collection = target
        save.save(update_fields=["collection"])
    return save


@transaction.atomic
def post_unsave(*, user: User, post: Post) -> bool:
    """Removes the user's save of the post (from any collection); returns whether there was."""
    deleted, _ = Save.objects.filter(user=user, post=post).delete()
    if deleted:
        _count(post, "save_count", -1)
    return bool(deleted)


@transaction.atomic
def comment_create(*, author: User, post: Post, text: str) -> Comment:
    """A comment by `author` on a post they may see; publishes `post.commented` and one
    `user.mentioned` per @mentioned user who may see the post."""
    text = (text or "").strip()
    if not text or len(text) > COMMENT_MAX_LENGTH:
        message = f"Write a comment of 1 to {COMMENT_MAX_LENGTH} characters."
        raise InvalidComment(message, fields={"text": [message]})
    _require_visible(author, post)
    comment = Comment.objects.create(post=post, author=author, text=text)
    _count(post, "comment_count", 1)
    events.post_commented(
        actor_id=author.pk, post_id=post.pk, post_author_id=post.author_id, comment_id=comment.pk
    )
    content.store_comment_mentions(comment)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User) -> None:
    """Soft-deletes a comment; only its author or the post's author may (NotCommentAuthor, 403, for
    anyone else). Deleting it again is a no-op."""
    comment = Comment.objects.select_for_update().select_related("post").get(pk=comment.pk)
    if actor.pk not in (comment.author_id, comment.post.author_id):
        raise NotCommentAuthor()
    if comment.deleted_at is not None:
        return
    comment.deleted_at = timezone.now()
    comment.deleted_by = actor
    comment.save(update_fields=["deleted_at", "deleted_by"])
    _count(comment.post, "comment_count", -1)
