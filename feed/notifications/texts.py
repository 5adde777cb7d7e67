"""The line a notification reads as, made when it is read: names change, and a group grows.

Each kind has one function of (the newest people in the group, how many there are, the newest
row's facts); people are users (their `name`), newest first. Texts are plain text: templates
escape them and live.js shows them with textContent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from backend.money import display_money
from feed.models import Kind

# What a comment's notification quotes of it.
EXCERPT_WORDS = 12
EXCERPT_CHARS = 80


def excerpt(text: str) -> str:
    """The first words of `text` on one line, with an ellipsis when cut."""
    words = text.split()
    short = " ".join(words[:EXCERPT_WORDS])
    if len(short) > EXCERPT_CHARS:
        short = short[: EXCERPT_CHARS - 1].rstrip()
    return short + "…" if short != " ".join(words) else short


def people(actors: Sequence, count: int) -> str:
    """Who did it, newest first: "Ana", "Ana and Bo", "Ana and 3 others"."""
    if not actors:
        return "Someone"
    first = actors[0].name
    others = max(count, len(actors)) - 1
    if others == 0:
        return first
    if others == 1 and len(actors) > 1:
        return f"{first} and {actors[1].name}"
    return f"{first} and {others} other{'s' if others > 1 else ''}"


def _follow(actors, count, data, target_id) -> str:
    return f"{people(actors, count)} followed you"


def _like(actors, count, data, target_id) -> str:
    return f"{people(actors, count)} liked your post"


def _comment(actors, count, data, target_id) -> str:
    if max(count, len(actors)) == 1 and data.get("excerpt"):
        return f"{people(actors, count)} commented: {data['excerpt']}"
    return f"{people(actors, count)} commented on your post"


def _mention(actors, count, data, target_id) -> str:
    return f"{people(actors, count)} mentioned you"


def _order_paid(actors, count, data, target_id) -> str:
    return f"Your order #{target_id} is paid"


def _order_shipped(actors, count, data, target_id) -> str:
    return f"Your order #{target_id} has shipped"


def _order_delivered(actors, count, data, target_id) -> str:
    return f"Your order #{target_id} was delivered"


def _refund_decided(actors, count, data, target_id) -> str:
    if data.get("status") == "approved":
        amount = display_money(data.get("amount", 0))
        return f"Your refund for order #{target_id} was approved ({amount})"
    return f"Your refund for order #{target_id} was declined"


def _commission_accrued(actors, count, data, target_id) -> str:
    product = data.get("product_name") or "a product"
    return f"You earned {display_money(data.get('amount', 0))} from an order of {product}"


TEXTS: dict[str, Callable[[Sequence, int, dict, int], str]] = {
    Kind.FOLLOW: _follow,
    Kind.LIKE: _like,
    Kind.COMMENT: _comment,
    Kind.MENTION: _mention,
    Kind.ORDER_PAID: _order_paid,
    Kind.ORDER_SHIPPED: _order_shipped,
    Kind.ORDER_DELIVERED: _order_delivered,
    Kind.REFUND_DECIDED: _refund_decided,
    Kind.COMMISSION_ACCRUED: _commission_accrued,
}


def text(kind: str, *, actors: Sequence, count: int, data: dict, target_id: int) -> str:
    """The line for a group of `kind`: e.g. "Ana and 3 others liked your post"."""
    return TEXTS[kind](actors, count, data, target_id)
