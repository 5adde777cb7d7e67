"""Everything a post card or a post page shows, for a whole list of posts in a fixed number of
queries (Sentry's serializer pattern): each kind of related row is loaded once for the list,
never once per post. N+1 cannot creep in through a template or a serializer, which only read
the plain values built here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.urls import reverse

from backend.accounts.models import User
from backend.accounts.selectors import Viewer
from backend.accounts.selectors.users import signed_in
from backend.money import currency, format_amount
from commerce.catalog import selectors as catalog
from media import selectors as media_selectors
from posts.models import Like, Post, Save


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
    """The tag's product as a card shows it; `sku` is the tag's SKU if it is active."""
    if sku is not None:
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


def with_viewer_flags(posts: QuerySet[Post], viewer: Viewer) -> QuerySet[Post]:
    """`posts` annotated with whether `viewer` liked and saved each one (and in which
    collection), in the same query, so `post_views` reads none of them row by row."""
    if not signed_in(viewer):
        return posts.annotate(
            viewer_liked=Value(False),
            viewer_saved=Value(False),
            viewer_collection=Value(None, output_field=IntegerField()),
        )
    saves = Save.objects.filter(user=viewer, post=OuterRef("pk"))
    return posts.annotate(
        viewer_liked=Exists(Like.objects.filter(user=viewer, post=OuterRef("pk"))),
        viewer_saved=Exists(saves),
        viewer_collection=Subquery(saves.values("collection_id")[:1]),
    )


def _viewer_flags(posts: list[Post], viewer: Viewer) -> tuple[set[int], dict[int, int | None]]:
    """(liked post ids, {saved post id: collection id}) from `with_viewer_flags` annotations,
    or read in two queries when the posts came without them."""
    if all(hasattr(post, "viewer_liked") for post in posts):
        liked = {post.pk for post in posts if post.viewer_liked}
        saved = {post.pk: post.viewer_collection for post in posts if post.viewer_saved}
        return liked, saved
    if not signed_in(viewer):
        return set(), {}
    ids = [post.pk for post in posts]
    liked = set(Like.objects.filter(user=viewer, post_id__in=ids).values_list("post_id", flat=True))
    saved = dict(
        Save.objects.filter(user=viewer, post_id__in=ids).values_list("post_id", "collection_id")
    )
    return liked, saved


def post_views(posts: list[Post], *, viewer: Viewer) -> list[PostView]:
    """The views of `posts`, in their order, for `viewer` (who may see them: the caller got
    them from a visibility selector). Pictures, tags and hashtags come from each post's card
    snapshot (posts/snapshot.py); the tagged products' live figures cost one query, their SKUs
    one more when a tag names one; the authors none when joined; the viewer's likes and saves
    none when the posts carry `with_viewer_flags` (else two). So a page of posts fetched with
    its author and flags costs at most 2 more queries whatever its length."""
    posts = list(posts)
    if not posts:
        return []
    authors = _authors(posts)
    cards = {post.pk: post.card or {} for post in posts}
    tags = [tag for card in cards.values() for tag in card.get("tags", ())]
    products = catalog.products_by_ids([tag["product_id"] for tag in tags])
    skus = catalog.active_skus_by_ids([tag["sku_id"] for tag in tags if tag["sku_id"]])
    liked, saved = _viewer_flags(posts, viewer)

    views = []
    for post in posts:
        card = cards[post.pk]
        media = [
            {
                **media_selectors.snapshot_payload(item),
                "alt_text": item["alt_text"],
                "position": item["position"],
            }
            for item in card.get("media", ())
        ]
        post_tags = [
            {
                "product": _product_payload(products[tag["product_id"]], skus.get(tag["sku_id"])),
                "sku_id": tag["sku_id"],
                "media_id": tag["media_id"],
                "x": tag["x"],
                "y": tag["y"],
            }
            for tag in card.get("tags", ())
            if tag["product_id"] in products
        ]
        views.append(
            PostView(
                id=post.pk,
                author=author_payload(authors[post.author_id]),
                text=post.text,
                hashtags=list(card.get("hashtags", ())),
                media=media,
                tags=post_tags,
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
