"""Everything a post card or a post page shows, for a whole list of posts in a fixed number of
queries (Sentry's serializer pattern): each kind of related row is loaded once for the list,
never once per post. N+1 cannot creep in through a template or a serializer, which only read
the plain values built here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.urls import reverse

from backend.accounts.models import User
from backend.accounts.selectors import Viewer
from backend.accounts.selectors.users import signed_in
from backend.money import currency, format_amount
from commerce.catalog import selectors as catalog
from media import selectors as media_selectors
from posts.models import Like, Post, PostHashtag, PostMedia, ProductTag, Save


@dataclass
class PostView:
    """A post as the viewer sees it. `media` items are `media.selectors.media_payloads` dicts
    plus `alt_text` and `position`; `tags` items are {product: {id, name, price, currency,
    image, available, in_stock, for_sale, url}, sku_id, media_id, x, y}."""

    id: int
    author: dict
    text: str
    hashtags: list[str]
    media: list[dict]
    tags: list[dict]
    visibility: str
    status: str
    location: str
    created_at: datetime.datetime
    published_at: datetime.datetime | None
    edited_at: datetime.datetime | None
    like_count: int
    comment_count: int
    save_count: int
    liked: bool = False
    saved: bool = False
    # The viewer's collection holding the save, if any.
    saved_collection_id: int | None = None
    is_author: bool = False
    hidden: bool = False
    contains_shop_links: bool = field(init=False)

    def __post_init__(self) -> None:
        self.contains_shop_links = bool(self.tags)


def author_payload(user: User) -> dict:
    """{id, username, display_name, avatar (URL or None)} of a post's or comment's author."""
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.name,
        "avatar": user.avatar.url if user.avatar else None,
    }


def _product_payload(product, sku) -> dict:
    if sku is not None and sku.active:
        price, in_stock = sku.price, sku.available > 0
    else:
        price, in_stock = product.min_price, product.in_stock
    return {
        "id": product.pk,
        "name": product.name,
        "price": format_amount(price) if price is not None else None,
        "currency": currency(),
        "image": default_storage.url(product.first_image) if product.first_image else None,
        "for_sale": product.for_sale,
        "in_stock": bool(in_stock),
        "available": bool(product.for_sale and in_stock and price is not None),
        "url": reverse("commerce:product_detail", args=[product.pk]),
    }


def _authors(posts: list[Post]) -> dict[int, User]:
    """The posts' authors, reusing those already joined (select_related) and loading the rest
    in one query."""
    known = {post.author_id: post.author for post in posts if Post.author.is_cached(post)}
    missing = {post.author_id for post in posts} - set(known)
    if missing:
        known.update(User.objects.in_bulk(missing))
    return known


def post_views(posts: list[Post], *, viewer: Viewer) -> list[PostView]:
    """The views of `posts`, in their order, for `viewer` (who may see them: the caller got
    them from a visibility selector). At most 7 queries whatever the number of posts, pictures,
    tags or hashtags: authors (none when joined), media, tags, products, hashtags, and the
    viewer's likes and saves (none for a visitor)."""
    posts = list(posts)
    if not posts:
        return []
    ids = [post.pk for post in posts]
    authors = _authors(posts)

    media_rows: dict[int, list[PostMedia]] = defaultdict(list)
    for item in PostMedia.objects.filter(post_id__in=ids).select_related("media"):
        media_rows[item.post_id].append(item)
    payloads = media_selectors.media_payloads(
        [item.media for items in media_rows.values() for item in items]
    )

    tag_rows: dict[int, list[ProductTag]] = defaultdict(list)
    for tag in ProductTag.objects.filter(post_id__in=ids).select_related("sku"):
        tag_rows[tag.post_id].append(tag)
    products = catalog.products_by_ids(
        [tag.product_id for tags in tag_rows.values() for tag in tags]
    )

    hashtags: dict[int, list[str]] = defaultdict(list)
    for row in PostHashtag.objects.filter(post_id__in=ids).select_related("hashtag"):
        hashtags[row.post_id].append(row.hashtag.name)

    liked: set[int] = set()
    saved: dict[int, int | None] = {}
    if signed_in(viewer):
        liked = set(
            Like.objects.filter(user=viewer, post_id__in=ids).values_list("post_id", flat=True)
        )
        saved = dict(
            Save.objects.filter(user=viewer, post_id__in=ids).values_list(
                "post_id", "collection_id"
            )
        )

    views = []
    for post in posts:
        media = [
            {**payloads[item.media_id], "alt_text": item.alt_text, "position": item.position}
            for item in sorted(media_rows[post.pk], key=lambda item: item.position)
        ]
        tags = [
            {
                "product": _product_payload(products[tag.product_id], tag.sku),
                "sku_id": tag.sku_id,
                "media_id": tag.media_id,
                "x": tag.x,
                "y": tag.y,
            }
            for tag in sorted(tag_rows[post.pk], key=lambda tag: tag.position)
            if tag.product_id in products
        ]
        views.append(
            PostView(
                id=post.pk,
                author=author_payload(authors[post.author_id]),
                text=post.text,
                hashtags=hashtags[post.pk],
                media=media,
                tags=tags,
                visibility=post.visibility,
                status=post.status,
                location=post.location,
                created_at=post.created_at,
                published_at=post.published_at,
                edited_at=post.edited_at,
                like_count=post.like_count,
                comment_count=post.comment_count,
                save_count=post.save_count,
                liked=post.pk in liked,
                saved=post.pk in saved,
                saved_collection_id=saved.get(post.pk),
                is_author=signed_in(viewer) and viewer.pk == post.author_id,
                hidden=post.hidden_at is not None,
            )
        )
    return views


def post_view(post: Post, *, viewer: Viewer) -> PostView:
    """`post_views` for one post."""
    return post_views([post], viewer=viewer)[0]
