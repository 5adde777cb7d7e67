"""What a post is made of, checked and stored: text, media, product tags, hashtags, mentions, and
the media's public flag. The authoring services compose these inside their transaction."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.db.models.functions import Lower

from backend.accounts.models import User, Visibility
from backend.accounts.selectors import blocked_ids, may_view
from backend.accounts.selectors.users import present_users
from commerce.catalog import selectors as catalog
from media import services as media_services
from media.models import Media
from posts import events
from posts.errors import InvalidPost, InvalidTag
from posts.models import (
    ALT_TEXT_MAX_LENGTH,
    MAX_IMAGES,
    MAX_TAGS,
    TEXT_MAX_LENGTH,
    Comment,
    Hashtag,
    Mention,
    Post,
    PostHashtag,
    PostMedia,
    ProductTag,
)
from posts.text import parse_hashtags, parse_mentions

LOCATION_MAX_LENGTH = Post._meta.get_field("location").max_length


def _refuse(field: str, message: str) -> InvalidPost:
    return InvalidPost(message, fields={field: [message]})


def clean_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise _refuse("text", f"Keep the text to {TEXT_MAX_LENGTH} characters.")
    return text


def clean_location(location: str) -> str:
    location = (location or "").strip()
    if len(location) > LOCATION_MAX_LENGTH:
        raise _refuse("location", f"Keep the location to {LOCATION_MAX_LENGTH} characters.")
    return location


def clean_choice(field: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise _refuse(field, f"Choose one of: {', '.join(choices)}.")
    return value


def attach_media(*, author: User, media_ids: Sequence[int]) -> list[Media]:
    """The author's media for a post, locked, in the given order: 1–MAX_IMAGES images or one
    video, each id once. Media that is not the author's, unknown or failed is refused by
    `media_attach` (invalid_media)."""
    media_ids = list(media_ids)
    if len(set(media_ids)) != len(media_ids):
        raise _refuse("media_ids", "Each picture can be in a post only once.")
    if len(media_ids) > MAX_IMAGES:
        raise _refuse("media_ids", f"A post holds at most {MAX_IMAGES} pictures.")
    if not media_ids:
        return []
    media = media_services.media_attach(owner=author, media_ids=media_ids)
    kinds = {item.kind for item in media}
    if Media.Kind.VIDEO in kinds and len(media) > 1:
        raise _refuse("media_ids", "A post holds either pictures or one video, not both.")
    return media


def clean_alt_texts(alt_texts: Sequence[str] | None, media_count: int) -> list[str]:
    """One alt text per media item (in the media's order), "" where none was given."""
    alt_texts = [(alt or "").strip() for alt in (alt_texts or [])]
    if len(alt_texts) > media_count:
        raise _refuse("alt_texts", "There are more alt texts than pictures.")
    if any(len(alt) > ALT_TEXT_MAX_LENGTH for alt in alt_texts):
        raise _refuse("alt_texts", f"Keep each alt text to {ALT_TEXT_MAX_LENGTH} characters.")
    return alt_texts + [""] * (media_count - len(alt_texts))


def store_media(post: Post, media: list[Media], alt_texts: list[str]) -> None:
    """Replaces the post's media by `media`, in that order."""
    PostMedia.objects.filter(post=post).delete()
    PostMedia.objects.bulk_create(
        PostMedia(post=post, media=item, position=position, alt_text=alt)
        for position, (item, alt) in enumerate(zip(media, alt_texts, strict=True))
    )


# --- Product tags -----------------------------------------------------------------------------


def _coordinate(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) and 0 <= value <= 1 else None


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def validated_tags(tags: Sequence[dict], *, image_ids: Iterable[int]) -> list[dict]:
    """Product tags as ProductTag fields, in order, or InvalidTag with `fields` naming each bad
    tag by index: `{"tags": {"2": {"product_id": ["..."]}}}`.

    Each tag is {product_id, sku_id?, media_id?, x?, y?}: an active product of an active shop
    (any shop), an active SKU of that product, one of the post's pictures, and x and y both in
    0..1 or both absent (a point needs a picture). At most MAX_TAGS tags. Two queries.
    """
    tags = list(tags)
    if len(tags) > MAX_TAGS:
        message = f"A post can tag at most {MAX_TAGS} products."
        raise InvalidTag(message, fields={"tags": [message]})
    image_ids = set(image_ids)
    products = catalog.products_by_ids(
        [tag["product_id"] for tag in tags if _int_or_none(tag.get("product_id"))]
    )
    skus = catalog.active_skus_by_ids(
        [tag["sku_id"] for tag in tags if _int_or_none(tag.get("sku_id"))]
    )
    problems: dict[str, dict[str, list[str]]] = {}
    cleaned = []
    for index, tag in enumerate(tags):
        bad: dict[str, list[str]] = {}
        product = products.get(_int_or_none(tag.get("product_id")))
        if product is None or not product.for_sale:
            bad["product_id"] = ["This product is not for sale."]
        sku_id = tag.get("sku_id")
        if sku_id is not None:
            sku = skus.get(_int_or_none(sku_id))
            if sku is None or product is None or sku.product_id != product.pk:
                bad["sku_id"] = ["Choose an available option of this product."]
        media_id = tag.get("media_id")
        if media_id is not None and _int_or_none(media_id) not in image_ids:
            bad["media_id"] = ["Tag one of this post's pictures."]
        x, y = tag.get("x"), tag.get("y")
        if (x is None) != (y is None):
            bad["x" if x is None else "y"] = ["Give both x and y, or neither."]
        elif x is not None:
            for name, value in (("x", x), ("y", y)):
                if _coordinate(value) is None:
                    bad[name] = ["Place the tag inside the picture (0 to 1)."]
            if media_id is None:
                bad["media_id"] = ["Say which picture the point is on."]
        if bad:
            problems[str(index)] = bad
            continue
        cleaned.append(
            {
                "product_id": product.pk,
                "sku_id": sku_id,
                "media_id": media_id,
                "x": None if x is None else float(x),
                "y": None if y is None else float(y),
            }
        )
    if problems:
        raise InvalidTag(fields={"tags": problems})
    return cleaned


def store_tags(post: Post, tags: list[dict]) -> None:
    """Replaces the post's tags by `tags` (already validated), in that order."""
    ProductTag.objects.filter(post=post).delete()
    ProductTag.objects.bulk_create(
        ProductTag(post=post, position=position, **tag) for position, tag in enumerate(tags)
    )


# --- Hashtags and mentions --------------------------------------------------------------------


def store_hashtags(post: Post) -> None:
    """Makes the post's hashtags those of its text, in order."""
    names = parse_hashtags(post.text)
    PostHashtag.objects.filter(post=post).delete()
    if not names:
        return
    Hashtag.objects.bulk_create([Hashtag(name=name) for name in names], ignore_conflicts=True)
    ids = dict(Hashtag.objects.filter(name__in=names).values_list("name", "pk"))
    PostHashtag.objects.bulk_create(
        PostHashtag(post=post, hashtag_id=ids[name], position=position)
        for position, name in enumerate(names)
    )


def _mentionable(*, author: User, post: Post, text: str) -> list[User]:
    """Present users named in `text` who may see the post: never the author, nobody blocked
    either way. At most 2 queries per mentioned user (MAX_MENTIONS of them)."""
    names = parse_mentions(text)
    if not names:
        return []
    users = (
        present_users()
        .alias(username_lower=Lower("username"))
        .filter(Q(username_lower__in=[name.lower() for name in names]) | Q(username__in=names))
        .exclude(pk=author.pk)
        .exclude(pk__in=blocked_ids(author))
        .order_by("pk")
    )
    return [
        user
        for user in users
        if may_view(viewer=user, author=post.author, visibility=post.visibility)
    ]


def store_post_mentions(post: Post) -> None:
    """Makes the post's mentions those of its published text; each newly mentioned user gets
    one `user.mentioned` event. Nothing for a draft: nobody is told of an unpublished post."""
    if post.status != Post.Status.PUBLISHED:
        return
    users = _mentionable(author=post.author, post=post, text=post.text)
    current = Mention.objects.filter(post=post, comment__isnull=True)
    current.exclude(user__in=users).delete()
    known = set(current.values_list("user_id", flat=True))
    new = [user for user in users if user.pk not in known]
    Mention.objects.bulk_create(Mention(post=post, user=user) for user in new)
    for user in new:
        events.user_mentioned(actor_id=post.author_id, user_id=user.pk, post_id=post.pk)


def store_comment_mentions(comment: Comment) -> None:
    """The comment's mentions, one `user.mentioned` event each."""
    users = _mentionable(author=comment.author, post=comment.post, text=comment.text)
    Mention.objects.bulk_create(
        Mention(post=comment.post, comment=comment, user=user) for user in users
    )
    for user in users:
        events.user_mentioned(
            actor_id=comment.author_id,
            user_id=user.pk,
            post_id=comment.post_id,
            comment_id=comment.pk,
        )


# --- Public media -----------------------------------------------------------------------------


def refresh_media_public(media_ids: Iterable[int]) -> None:
    """Marks each of these media public iff it belongs to a published, public, live post (a
    picture may be in several of its owner's posts), so plain URLs exist only for what
    everyone may see; the rest get signed URLs."""
    media_ids = set(media_ids)
    if not media_ids:
        return
    public = set(
        PostMedia.objects.filter(
            media_id__in=media_ids,
            post__status=Post.Status.PUBLISHED,
            post__visibility=Visibility.PUBLIC,
            post__deleted_at__isnull=True,
            post__hidden_at__isnull=True,
        ).values_list("media_id", flat=True)
    )
    if public:
        media_services.media_set_public(media_ids=sorted(public), public=True)
    if media_ids - public:
        media_services.media_set_public(media_ids=sorted(media_ids - public), public=False)
