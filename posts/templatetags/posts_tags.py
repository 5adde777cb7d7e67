"""Template helpers for posts: picture sources from media payloads, placeholders, and text with
linked #hashtags and @mentions."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from backend.money import display_price
from backend.web.context_processors import url_or_none
from posts.text import text_tokens

register = template.Library()

IMAGE_WIDTHS = ("320", "640", "1080")


def _variants(media: dict) -> dict[str, str]:
    return media.get("variants") or {}


@register.filter
def srcset(media: dict) -> str:
    """`url 320w, url 640w, ...` from the image variants that exist."""
    variants = _variants(media)
    return ", ".join(f"{variants[w]} {w}w" for w in IMAGE_WIDTHS if w in variants)


@register.filter
def picture(media: dict, wanted: str = "1080") -> str:
    """The URL of the widest image variant not wider than `wanted`, else the narrowest; for a
    video its poster. Empty while nothing is ready."""
    variants = _variants(media)
    if media.get("kind") == "video":
        return variants.get(f"poster_{wanted}") or variants.get("poster", "")
    sizes = [w for w in IMAGE_WIDTHS if w in variants]
    fitting = [w for w in sizes if int(w) <= int(wanted)]
    chosen = fitting[-1] if fitting else (sizes[0] if sizes else None)
    return variants[chosen] if chosen else ""


@register.filter
def placeholder_style(media: dict | None) -> str:
    """An inline `background` for the media's placeholder: a colour or a tiny blurred picture."""
    value = (media or {}).get("placeholder") or ""
    if value.startswith("#") and len(value) in (4, 7) and value[1:].isalnum():
        return f"background-color:{value}"
    if value.startswith("data:image/"):
        return f"background-image:url('{value}');background-size:cover"
    return ""


@register.filter
def price(product: dict) -> str:
    """A tag's product price ("12.50" + "CNY") as shown: "¥12.50", or "12.50 CHF"."""
    amount, code = product.get("price"), product.get("currency", "")
    if amount in (None, ""):
        return ""
    return display_price(amount, code)


@register.filter
def percent(fraction: float | None) -> str:
    """0.425 -> "42.50%" for a tag's left/top."""
    return f"{(fraction or 0) * 100:.2f}%"


@register.filter
def ago(moment: datetime.datetime | None) -> str:
    """ "just now" for the last minute, else "3 hours ago" (the largest unit only)."""
    if moment is None:
        return ""
    if timezone.now() - moment < datetime.timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, depth=1)} ago"


@register.filter
def first_line(text: str) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


@register.filter
def ratio(media: dict | None) -> str:
    """`width / height` for CSS aspect-ratio, clamped to RED's range (3:4 portrait to 4:3)."""
    width, height = (media or {}).get("width"), (media or {}).get("height")
    if not width or not height:
        return "3 / 4"
    value = min(max(width / height, 3 / 4), 4 / 3)
    return f"{value:.4f}"


@register.filter
def rich_text(text: str) -> SafeString:
    """The post's text, escaped, with #hashtags and @mentions as links and line breaks kept."""
    parts = []
    for kind, value, raw in text_tokens(text or ""):
        if kind == "hashtag":
            url = url_or_none("feed:tag", hashtag=value)
            parts.append(
                format_html('<a class="hashtag" href="{}">{}</a>', url, raw)
                if url
                else format_html('<span class="hashtag">{}</span>', raw)
            )
        elif kind == "mention":
            url = url_or_none("accounts:profile", username=value)
            parts.append(format_html('<a class="mention" href="{}">{}</a>', url, raw))
        else:
            parts.append(escape(raw).replace("\n", "<br>"))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
