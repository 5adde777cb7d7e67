"""Finding users: by username (any letter case), and whether names and emails are taken."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from backend.accounts.errors import UserNotFound
from backend.accounts.models import User

# Who is looking: a user, or someone not signed in (AnonymousUser or None).
Viewer = User | AnonymousUser | None

USERNAME_MAX_LENGTH = 150


def signed_in(viewer: Viewer) -> bool:
    return viewer is not None and bool(getattr(viewer, "is_authenticated", False))


def present_users() -> QuerySet[User]:
    """Accounts that are neither deleted nor deactivated."""
    return User.objects.filter(is_active=True, anonymised_at__isnull=True)


def plausible_username(username: str) -> bool:
    """Whether `username` could be anyone's (checked before it reaches the database)."""
    # PostgreSQL refuses NUL in text parameters; no username could hold one anyway.
    return bool(username) and len(username) <= USERNAME_MAX_LENGTH and "\x00" not in username


def named(users: QuerySet[User], username: str) -> QuerySet[User]:
    """`users` narrowed to the one holding `username` in any letter case."""
    # Lower() matches the case-insensitive unique index; the exact match covers non-ASCII
    # names, which SQLite's LOWER() leaves alone.
    return users.alias(username_lower=Lower("username")).filter(
        Q(username_lower=username.lower()) | Q(username=username)
    )


def user_by_username(username: str) -> User:
    """The present (active, not deleted) user with this username, any letter case; one query.

    Raises UserNotFound otherwise. Does not look at blocks: see `profile_get` for that.
    """
    if not plausible_username(username):
        raise UserNotFound()
    user = named(present_users(), username).first()
    if user is None:
        raise UserNotFound()
    return user


def username_exists(username: str) -> bool:
    """Whether any account, present or not, holds this username in any letter case."""
    return plausible_username(username) and named(User.objects.all(), username).exists()


def canonical_username(username: str) -> str | None:
    """The stored spelling of a username typed in any letter case, or None."""
    if not plausible_username(username):
        return None
    return named(User.objects.all(), username).values_list("username", flat=True).first()


def email_exists(email: str) -> bool:
    """Whether an account uses this email address, in any letter case."""
    # The email != "" condition lets PostgreSQL use the partial unique index on LOWER(email).
    return (
        User.objects.exclude(email="")
        .alias(email_lower=Lower("email"))
        .filter(email_lower=email.lower())
        .exists()
    )
