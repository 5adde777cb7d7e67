"""Template helpers of the shop's pages: `{{ amount|money }}` shows minor units as a price."""

from __future__ import annotations

from django import template
from django.core.files.storage import default_storage

from backend.money import display_money

register = template.Library()


@register.filter
def money(minor: int | None) -> str:
    """1250 -> "¥12.50" in the deployment's currency; None (no price) -> ""."""
    if minor is None or minor == "":
        return ""
    return display_money(int(minor))


@register.filter
def storage_url(name: str | None) -> str:
    """The URL of a stored file's name (e.g. a product's annotated first picture)."""
    return default_storage.url(name) if name else ""
