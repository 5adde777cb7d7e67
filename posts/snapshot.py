"""A post's card snapshot: what a card shows of its pictures, tags and hashtags, kept on the post.

Reading a page of cards then costs the posts' own query plus the shop's live figures of the
tagged products, whatever the page's length (issue 9: ≤ 3 queries for a feed page), instead of a
query per kind of related row. The rows stay the truth: the snapshot is rebuilt from them by
`refresh_cards` whenever they change (posts' services) or a picture's state does (media tells
posts through its change listeners).

Shape: {"media": [{id, kind, status, width, height, duration_ms, placeholder, variants: {name:
storage key}, public, alt_text, position}], "tags": [{product_id, sku_id, media_id, x, y}],
"hashtags": [name]}. Keys, not URLs: URLs are signed when the card is read.
"""

from __future__ import annotations

from collections.abc import Iterable


def cards_from_rows(post_ids: Iterable[int], media_items, tags, hashtags) -> dict[int, dict]:
    """{post id: card} from PostMedia rows (media joined), ProductTag rows and PostHashtag rows
    (hashtag joined), each in display order. Pure: the data migration calls it with its
    historical models' rows."""
    cards = {pk: {"media": [], "tags": [], "hashtags": []} for pk in post_ids}
    for item in media_items:
        medium = item.media
        cards[item.post_id]["media"].append(
            {
                "id": medium.pk,
                "kind": medium.kind,
                "status": medium.status,
                "width": medium.width,
                "height": medium.height,
                "duration_ms": medium.duration_ms,
                "placeholder": medium.placeholder,
                "variants": dict(medium.variants or {}),
                "public": medium.public,
                "alt_text": item.alt_text,
                "position": item.position,
            }
        )
    for tag in tags:
        cards[tag.post_id]["tags"].append(
            {
                "product_id": tag.product_id,
                "sku_id": tag.sku_id,
                "media_id": tag.media_id,
                "x": tag.x,
                "y": tag.y,
            }
        )
    for row in hashtags:
        cards[row.post_id]["hashtags"].append(row.hashtag.name)
    return cards


def rows_for(post_ids: list[int], *, post_media, product_tag, post_hashtag):
    """The rows `cards_from_rows` takes, read with the given models (current or historical)."""
    return (
        post_media.objects.filter(post_id__in=post_ids)
        .select_related("media")
        .order_by("post_id", "position"),
        product_tag.objects.filter(post_id__in=post_ids).order_by("post_id", "position"),
        post_hashtag.objects.filter(post_id__in=post_ids)
        .select_related("hashtag")
        .order_by("post_id", "position"),
    )


def write_cards(
    post_ids: Iterable[int], *, post, post_media, product_tag, post_hashtag
) -> dict[int, dict]:
    """Rebuilds and stores the cards of `post_ids` (3 reads, one UPDATE per post); returns them."""
    ids = sorted(set(post_ids))
    if not ids:
        return {}
    rows = rows_for(ids, post_media=post_media, product_tag=product_tag, post_hashtag=post_hashtag)
    cards = cards_from_rows(ids, *rows)
    for pk, card in cards.items():
        post.objects.filter(pk=pk).update(card=card)
    return cards


def refresh_cards(post_ids: Iterable[int]) -> dict[int, dict]:
    """Rebuilds the cards of these posts from their rows (call after changing the rows);
    returns them, for the caller's instances."""
    from posts.models import Post, PostHashtag, PostMedia, ProductTag

    return write_cards(
        post_ids, post=Post, post_media=PostMedia, product_tag=ProductTag, post_hashtag=PostHashtag
    )


def refresh_card(post) -> None:
    """`refresh_cards` for one post instance, which gets its new card too."""
    post.card = refresh_cards([post.pk])[post.pk]


def refresh_cards_using_media(media_ids: Iterable[int]) -> None:
    """media's change listener: the cards of every post showing one of these media."""
    from posts.models import PostMedia

    media_ids = list(media_ids)
    if media_ids:
        refresh_cards(
            PostMedia.objects.filter(media_id__in=media_ids).values_list("post_id", flat=True)
        )
