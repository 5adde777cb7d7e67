"""Writing, editing and deleting posts (the author's actions)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User, Visibility
from posts import events
from posts.errors import AlreadyPublished, InvalidPost, NotAuthor, PostNotFound
from posts.models import Post, PostMedia, ProductTag
from posts.selectors import visible_posts
from posts.services import content
from posts.snapshot import refresh_card

EDITABLE = frozenset({"text", "visibility", "status", "location", "tags", "media_ids", "alt_texts"})


def _needs_content(text: str, media_count: int) -> None:
    if not text and not media_count:
        message = "Write something or add a picture or a video."
        raise InvalidPost(message, fields={"text": [message]})


@transaction.atomic
def post_create(
    *,
    author: User,
    text: str,
    media_ids: Sequence[int],
    visibility: str,
    status: str,
    location: str = "",
    tags: Sequence[dict] = (),
    alt_texts: Sequence[str] | None = None,
) -> Post:
    """A new post (or draft) by `author`.

    `media_ids` are the author's uploads in display order (1–18 images or one video; they may
    still be processing); `alt_texts` one per media item in the same order (shorter lists are
    padded with ""); `tags` as `content.validated_tags` describes. Hashtags come from the text;
    a published post's @mentions notify (`user.mentioned`). Raises InvalidPost / InvalidTag /
    the media app's invalid_media (400).
    """
    text = content.clean_text(text)
    location = content.clean_location(location)
    content.clean_choice("visibility", visibility, Visibility.values)
    content.clean_choice("status", status, Post.Status.values)
    media = content.attach_media(author=author, media_ids=media_ids)
    alts = content.clean_alt_texts(alt_texts, len(media))
    _needs_content(text, len(media))
    tags = content.validated_tags(tags, image_ids=_image_ids(media))
    published = status == Post.Status.PUBLISHED
    post = Post.objects.create(
        author=author,
        text=text,
        visibility=visibility,
        status=status,
        location=location,
        published_at=timezone.now() if published else None,
    )
    content.store_media(post, media, alts)
    content.store_tags(post, tags)
    content.store_hashtags(post)
    content.store_post_mentions(post)
    content.refresh_media_public(item.pk for item in media)
    refresh_card(post)
    if published:
        events.post_published(post)
    return post


def _image_ids(media) -> list[int]:
    return [item.pk for item in media if item.kind == "image"]


def _locked_for_author(post: Post, actor: User) -> Post:
    """The post locked for its author's change. Someone else gets NotAuthor (403) when they
    may see the post and PostNotFound (404) when they may not; a deleted post is 404."""
    locked = Post.objects.select_for_update().select_related("author").filter(pk=post.pk).first()
    if locked is None or locked.deleted_at is not None:
        raise PostNotFound()
    if locked.author_id != actor.pk:
        if visible_posts(actor).filter(pk=post.pk).exists():
            raise NotAuthor()
        raise PostNotFound()
    return locked


@transaction.atomic
def post_update(*, post: Post, actor: User, **changes) -> Post:
    """The author's edit of any of: text, visibility, status (draft → published only; the first
    publication sets published_at), location, tags (replaced whole), media_ids (new order or
    new set, same rules as creating) and alt_texts (one per media item, in order).

    Changing media drops the tags placed on pictures no longer in the post unless new tags are
    given. A published post's content edits set edited_at. Raises AlreadyPublished (409) for
    published → draft, NotAuthor / PostNotFound as `_locked_for_author` says, and the
    validation errors of `post_create`.
    """
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"post_update() cannot change {', '.join(sorted(unknown))}")
    post = _locked_for_author(post, actor)
    was_published = post.status == Post.Status.PUBLISHED
    now = timezone.now()
    items = list(PostMedia.objects.filter(post=post).select_related("media"))
    old_media_ids = [item.media_id for item in items]
    media = [item.media for item in items]
    alts = [item.alt_text for item in items]

    if "text" in changes:
        post.text = content.clean_text(changes["text"])
    if "location" in changes:
        post.location = content.clean_location(changes["location"])
    if "visibility" in changes:
        post.visibility = content.clean_choice(
            "visibility", changes["visibility"], Visibility.values
        )
    if "status" in changes:
        status = content.clean_choice("status", changes["status"], Post.Status.values)
        if was_published and status == Post.Status.DRAFT:
            raise AlreadyPublished()
        post.status = status
        if status == Post.Status.PUBLISHED and post.published_at is None:
            post.published_at = now
    media_changed = "media_ids" in changes
    if media_changed:
        media = content.attach_media(author=actor, media_ids=changes["media_ids"])
        alts = [""] * len(media)
    if "alt_texts" in changes:
        alts = content.clean_alt_texts(changes["alt_texts"], len(media))
    _needs_content(post.text, len(media))
    if media_changed or "alt_texts" in changes:
        content.store_media(post, media, alts)
    if "tags" in changes:
        content.store_tags(
            post, content.validated_tags(changes["tags"], image_ids=_image_ids(media))
        )
    elif media_changed:
        ProductTag.objects.filter(post=post, media__isnull=False).exclude(
            media_id__in=_image_ids(media)
        ).delete()

    if was_published and changes.keys() & {"text", "location", "tags", "media_ids", "alt_texts"}:
        post.edited_at = now
    post.save()
    if "text" in changes:
        content.store_hashtags(post)
    if changes.keys() & {"text", "status", "visibility"}:
        content.store_post_mentions(post)
    content.refresh_media_public(set(old_media_ids) | {item.pk for item in media})
    refresh_card(post)
    if not was_published and post.status == Post.Status.PUBLISHED:
        events.post_published(post)
    return post


@transaction.atomic
def post_delete(*, post: Post, actor: User) -> None:
    """Soft-deletes the author's post: it disappears for everyone, its author included, and its
    media stop being public. Rows stay (orders may refer to it through share links)."""
    post = _locked_for_author(post, actor)
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at"])
    content.refresh_media_public(
        PostMedia.objects.filter(post=post).values_list("media_id", flat=True)
    )
    events.post_deleted(post)
