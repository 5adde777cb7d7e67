"""The user's privacy choices that the feed honours: today, whether friends see them among
"friends who bought this". No row means the defaults (shown)."""

from __future__ import annotations

from backend.accounts.models import User
from feed.models import PrivacySettings


def shows_purchases(user: User) -> bool:
    row = PrivacySettings.objects.filter(user=user).only("show_purchases").first()
    return True if row is None else row.show_purchases


def set_shows_purchases(*, user: User, show: bool) -> bool:
    """Record the choice (idempotent); returns it."""
    PrivacySettings.objects.update_or_create(user=user, defaults={"show_purchases": show})
    return show
