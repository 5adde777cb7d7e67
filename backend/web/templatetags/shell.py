"""Template tags of the shell that every app's pages use: `{% icon %}` and `{% avatar %}`."""

from __future__ import annotations

import zlib

from django import template

register = template.Library()

AVATAR_SIZES = ("xs", "sm", "md", "lg", "xl")
# Warm, readable backgrounds for people without a picture; a person keeps one colour everywhere.
AVATAR_TONES = 6


@register.inclusion_tag("web/partials/icon.html")
def icon(name: str, label: str = "") -> dict:
    """An inline SVG icon from the shell's set; `label` names it for screen readers."""
    return {"name": name, "label": label}


@register.inclusion_tag("web/partials/avatar.html")
def avatar(user, size: str = "md") -> dict:
    """A round picture of `user`, or their initial on a colour of their own."""
    if size not in AVATAR_SIZES:
        raise template.TemplateSyntaxError(f"avatar size must be one of {AVATAR_SIZES}")
    name = getattr(user, "name", "") or getattr(user, "username", "") or "?"
    picture = getattr(user, "avatar", None)
    return {
        "size": size,
        "name": name,
        "url": picture.url if picture else "",
        "initial": name[:1].upper(),
        "tone": zlib.crc32(getattr(user, "username", name).encode()) % AVATAR_TONES,
    }
