"""Writes of notifications: making one for an event, reading them, turning kinds off and on."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.accounts.selectors import is_blocked_either
from feed.models import Kind, Notification, NotificationOptOut
from feed.notifications import push
from feed.notifications.errors import UnknownKind


@dataclass(frozen=True)
class Draft:
    """What a handler knows of a notification before the checks."""

    recipient_id: int
    kind: str
    target_type: str
    target_id: int
    group_key: str
    actor_id: int | None = None
    data: dict = field(default_factory=dict)


def _present(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True, anonymised_at__isnull=True).first()


@transaction.atomic
def notification_create(*, event_id: int, draft: Draft) -> Notification | None:
    """Store the notification `draft` of event `event_id` and push it to its recipient after
    commit; None when there is none to make: one's own action, a recipient or actor who is gone,
    a block either way, a kind the recipient turned off, or a row this event already made
    (a redelivered event notifies once)."""
    if draft.actor_id is not None and draft.actor_id == draft.recipient_id:
        return None
    recipient = _present(draft.recipient_id)
    if recipient is None:
        return None
    if NotificationOptOut.objects.filter(user=recipient, kind=draft.kind).exists():
        return None
    actor = None
    if draft.actor_id is not None:
        actor = _present(draft.actor_id)
        if actor is None or is_blocked_either(recipient, actor):
            return None
    notification, created = Notification.objects.get_or_create(
        event_id=event_id,
        recipient=recipient,
        defaults={
            "kind": draft.kind,
            "actor": actor,
            "target_type": draft.target_type,
            "target_id": draft.target_id,
            "group_key": draft.group_key,
            "data": draft.data,
        },
    )
    if not created:
        return None
    push.push_notification(notification)
    return notification


@transaction.atomic
def notifications_mark_read(*, user: User, group_ids: list[int] | None = None) -> int:
    """Mark read every unread row of the user's (`group_ids` None), or those of the groups
    whose ids are given (a group's id is its newest row's; unknown ids and other people's are
    ignored); returns how many rows changed. The user's pages get the new unread count."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if group_ids is not None:
        keys = Notification.objects.filter(recipient=user, pk__in=group_ids).values("group_key")
        unread = unread.filter(group_key__in=keys)
    changed = unread.update(read_at=timezone.now())
    if changed:
        push.push_unread(user)
    return changed


def _check_kind(kind: object) -> str:
    if not isinstance(kind, str) or kind not in Kind.values:
        message = f"Unknown kind {kind!r}; one of: {', '.join(Kind.values)}."
        raise UnknownKind(message, fields={"kind": [message]})
    return kind


@transaction.atomic
def notification_kind_set(*, user: User, kind: str, enabled: bool) -> None:
    """Turn one kind of notification on or off for `user` (off: none is made from then on);
    UnknownKind (400) for a kind that does not exist. Setting it as it is changes nothing."""
    kind = _check_kind(kind)
    if enabled:
        NotificationOptOut.objects.filter(user=user, kind=kind).delete()
    else:
        NotificationOptOut.objects.get_or_create(user=user, kind=kind)


@transaction.atomic
def notification_kinds_set(*, user: User, choices: list[tuple[str, bool]]) -> None:
    """Several kinds at once; every kind is checked before anything changes."""
    for kind, _enabled in choices:
        _check_kind(kind)
    for kind, enabled in choices:
        notification_kind_set(user=user, kind=kind, enabled=enabled)
