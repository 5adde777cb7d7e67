"""Template helpers of the shop's pages: `{{ amount|money }}` shows minor units as a price."""

from __future__ import annotations

from django import template
from django.core.files.storage import default_storage

from backend.money import currency, format_amount

register = template.Library()

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}


@register.filter
def money(minor: int | None) -> str:
    """1250 -> "¥12.50" in the deployment's currency; None (no price) -> ""."""
    if minor is None or minor == "":
        return ""
    code = currency()
    symbol = SYMBOLS.get(code)
    amount = format_amount(int(minor))
    return f"{symbol}{amount}" if symbol else f"{amount} {code}"


@register.filter
def storage_url(name: str | None) -> str:
    """The URL of a stored file's name (e.g. a product's annotated first picture)."""
    return default_storage.url(name) if name else ""
