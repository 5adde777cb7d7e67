"""Every write on users and the social graph.

Services take users (not usernames: views resolve those with selectors.user_by_username) and
raise backend.accounts.errors. Graph edits are idempotent: asking for the state that already
holds changes nothing and publishes nothing.
"""

from __future__ import annotations

import re

from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from backend.accounts import lockout
from backend.accounts.avatars import avatar_from_upload
from backend.accounts.errors import (
    EmailTaken,
    InvalidCredentials,
    SelfTarget,
    SignInLocked,
    UsernameTaken,
    UserNotFound,
    WeakPassword,
)
from backend.accounts.models import Block, CloseFriend, Follow, Mute, User
from backend.accounts.selectors import (
    canonical_username,
    email_exists,
    is_blocked_either,
    username_exists,
)
from backend.errors import InvalidInput
from backend.events.services import publish

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,29}$")
# Paths and words a profile URL (/u/<username>) or a support reply should never be mistaken for.
RESERVED_USERNAMES = frozenset(
    {"admin", "api", "me", "root", "settings", "signin", "signout", "signup", "support", "system"}
)
DELETED_PREFIX = "deleted-"
VISITOR_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def visitor_id_from_cookie(value: str | None) -> str | None:
    """The visitor id carried by the visitor cookie, or None when absent or malformed."""
    if value and VISITOR_ID_PATTERN.fullmatch(value):
        return value
    return None


def _publish_signed_in(user: User, visitor_id: str | None) -> None:
    publish("user.signed_in", {"user": user.pk, "visitor": visitor_id_from_cookie(visitor_id)})


def _check_username(username: str) -> None:
    if not USERNAME_PATTERN.fullmatch(username):
        reason = "3 to 30 letters, digits, '.', '_' or '-', starting with a letter or digit."
        raise InvalidInput(reason, code="invalid_username", fields={"username": [reason]})
    lowered = username.lower()
    if lowered in RESERVED_USERNAMES or lowered.startswith(DELETED_PREFIX):
        raise UsernameTaken(fields={"username": [UsernameTaken.message]})
    if username_exists(username):
        raise UsernameTaken(fields={"username": [UsernameTaken.message]})


def _check_email(email: str) -> None:
    try:
        validate_email(email)
    except ValidationError as exc:
        reason = "Enter a valid email address."
        raise InvalidInput(reason, code="invalid_email", fields={"email": [reason]}) from exc
    if email_exists(email):
        raise EmailTaken(fields={"email": [EmailTaken.message]})


def user_register(
    *, username: str, email: str, password: str, visitor_id: str | None = None
) -> User:
    """Create an account with an API token and publish `user.signed_in` (sign-up signs in)."""
    username = username.strip()
    email = email.strip()
    _check_username(username)
    _check_email(email)
    try:
        password_validation.validate_password(password, User(username=username, email=email))
    except ValidationError as exc:
        raise WeakPassword(exc.messages[0], fields={"password": exc.messages}) from exc
    user = User(username=username, email=User.objects.normalize_email(email))
    # Hash before the transaction: on SQLite the write lock is held from BEGIN, and a slow
    # Argon2 hash inside it would make concurrent sign-ups queue behind each other's hashing.
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            Token.objects.create(user=user)
            _publish_signed_in(user, visitor_id)
    except IntegrityError as exc:
        # Another sign-up took the name or the email between the checks and the insert.
        if username_exists(username):
            raise UsernameTaken(fields={"username": [UsernameTaken.message]}) from exc
        raise EmailTaken(fields={"email": [EmailTaken.message]}) from exc
    return user


def user_authenticate(
    *, username: str, password: str, ip: str | None, visitor_id: str | None = None
) -> User:
    """Check the credentials under the sign-in lockout and publish `user.signed_in`.

    Raises SignInLocked (429, retry_after) when the username or the IP has failed too often
    recently, without checking the password; InvalidCredentials otherwise when they are wrong.
    """
    wait = lockout.seconds_locked(username=username, ip=ip)
    if wait:
        raise SignInLocked(retry_after=wait)
    user = None
    # Usernames are unique whatever their case, so "Alice" signs in as alice.
    canonical = canonical_username(username.strip())
    if canonical is None:
        # Hash anyway: as slow as a real check, so timing does not tell which usernames exist.
        User().set_password(password)
    else:
        user = authenticate(username=canonical, password=password)
    if user is None:
        lockout.record_failure(username=username, ip=ip)
        raise InvalidCredentials()
    lockout.clear_username(username)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        _publish_signed_in(user, visitor_id)
    return user


def user_token(*, user: User) -> str:
    """The user's API token, created on first need."""
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


def user_token_revoke(*, user: User) -> None:
    Token.objects.filter(user=user).delete()


def profile_update(
    *,
    user: User,
    display_name: str | None = None,
    bio: str | None = None,
    avatar=None,
    remove_avatar: bool = False,
) -> User:
    """Change what is given; `avatar` is an uploaded file, validated and re-encoded first."""
    for name, value in (("display_name", display_name), ("bio", bio)):
        limit = User._meta.get_field(name).max_length
        if value is not None and len(value.strip()) > limit:
            reason = f"At most {limit} characters."
            raise InvalidInput(reason, fields={name: [reason]})
    fields = []
    if display_name is not None:
        user.display_name = display_name.strip()
        fields.append("display_name")
    if bio is not None:
        user.bio = bio.strip()
        fields.append("bio")
    old_avatar = user.avatar.name if (avatar is not None or remove_avatar) else ""
    if avatar is not None:
        picture = avatar_from_upload(avatar)
        user.avatar.save(picture.name, picture, save=False)
        fields.append("avatar")
    elif remove_avatar:
        user.avatar = ""
        fields.append("avatar")
    if fields:
        with transaction.atomic():
            user.save(update_fields=fields)
            if old_avatar:
                _delete_file_on_commit(user.avatar.storage, old_avatar)
    return user


def _delete_file_on_commit(storage, name: str) -> None:
    transaction.on_commit(lambda: storage.delete(name))


def _require_other(actor: User, target: User) -> None:
    if actor.pk == target.pk:
        raise SelfTarget()
    if not target.is_active or target.is_anonymised:
        raise UserNotFound()


def _lock_pair(actor: User, target: User) -> None:
    """Lock both users' rows, lower id first so two lockers never deadlock. A follow and a block
    (or a deletion) between the same two people then cannot interleave, so a block never ends
    up beside a follow. Raises UserNotFound when the target is gone by the time it is locked.
    Call inside a transaction."""
    rows = (
        User.objects.select_for_update()
        .filter(pk__in=[actor.pk, target.pk])
        .order_by("pk")
        .values_list("pk", "is_active", "anonymised_at")
    )
    present = {pk for pk, is_active, anonymised_at in rows if is_active and not anonymised_at}
    if target.pk not in present:
        raise UserNotFound()


def _add_edge_between_visible(actor: User, target: User, model, **edge) -> bool:
    """Create the edge unless the two are hidden from each other by a block; True if created."""
    _require_other(actor, target)
    with transaction.atomic():
        _lock_pair(actor, target)
        if is_blocked_either(actor, target):
            raise UserNotFound()
        _, created = model.objects.get_or_create(**edge)
    return created


def user_follow(*, follower: User, followee: User) -> bool:
    """Follow; True when this created the follow. Publishes `user.followed` for a new follow."""
    with transaction.atomic():
        created = _add_edge_between_visible(
            follower, followee, Follow, follower=follower, followee=followee
        )
        if created:
            publish("user.followed", {"actor": follower.pk, "target": followee.pk})
    return created


def user_unfollow(*, follower: User, followee: User) -> None:
    Follow.objects.filter(follower=follower, followee=followee).delete()


def user_block(*, blocker: User, blocked: User) -> None:
    """Block; removes the follows and close-friend entries between the two, both ways."""
    _require_other(blocker, blocked)
    with transaction.atomic():
        _lock_pair(blocker, blocked)
        Block.objects.get_or_create(blocker=blocker, blocked=blocked)
        Follow.objects.filter(
            Q(follower=blocker, followee=blocked) | Q(follower=blocked, followee=blocker)
        ).delete()
        CloseFriend.objects.filter(
            Q(owner=blocker, friend=blocked) | Q(owner=blocked, friend=blocker)
        ).delete()


def user_unblock(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


def user_mute(*, muter: User, muted: User) -> None:
    _add_edge_between_visible(muter, muted, Mute, muter=muter, muted=muted)


def user_unmute(*, muter: User, muted: User) -> None:
    Mute.objects.filter(muter=muter, muted=muted).delete()


def close_friend_add(*, owner: User, friend: User) -> None:
    """Put anyone the owner may see on their close-friends list (no follow needed)."""
    _add_edge_between_visible(owner, friend, CloseFriend, owner=owner, friend=friend)


def close_friend_remove(*, owner: User, friend: User) -> None:
    CloseFriend.objects.filter(owner=owner, friend=friend).delete()


def user_delete(*, user: User) -> User:
    """Delete an account by anonymising it: the row stays, because orders and the ledger refer
    to it, but nothing personal remains and nobody can sign in as it. Publishes `user.deleted`.

    The caller checks the person's intent (the password); this only does the deed.
    """
    with transaction.atomic():
        # The row lock makes two concurrent deletions one deletion and one no-op.
        current = (
            User.objects.select_for_update().filter(pk=user.pk).values("anonymised_at", "avatar")
        ).get()
        if current["anonymised_at"] is not None:
            return user
        old_avatar = current["avatar"]
        user.username = f"{DELETED_PREFIX}{user.pk}"
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.display_name = ""
        user.bio = ""
        user.avatar = ""
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.anonymised_at = timezone.now()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        Token.objects.filter(user=user).delete()
        Follow.objects.filter(Q(follower=user) | Q(followee=user)).delete()
        Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
        Mute.objects.filter(Q(muter=user) | Q(muted=user)).delete()
        CloseFriend.objects.filter(Q(owner=user) | Q(friend=user)).delete()
        if old_avatar:
            _delete_file_on_commit(user.avatar.storage, old_avatar)
        publish("user.deleted", {"user": user.pk})
    return user
