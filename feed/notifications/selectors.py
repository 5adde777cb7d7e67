"""Reads of notifications: the grouped list, the unread count and who turned which kind off.

Rows are grouped when read: all of a recipient's rows with one `group_key` make one line, placed
by its newest row. Rows about a user blocked either way, or about an account that is gone, are
left out of everything here (a block made after the notification hides it too).

A page of groups costs two queries whatever its length: the groups (keyset on the newest row's
id), then the newest rows of those groups with their actors.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber
from django.urls import NoReverseMatch, reverse

from backend.accounts.models import Block, User
from feed.errors import InvalidCursor
from feed.models import Kind, Notification, NotificationOptOut
from feed.notifications import texts
from posts.selectors import author_payload

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
# People a group names or shows ("Ana, Bo and 3 others" shows three faces).
ACTORS_SHOWN = 3
# Newest rows of a group read to find them: a person may appear twice in a group (liked,
# unliked, liked again), so a few more than ACTORS_SHOWN.
ROWS_PER_GROUP = 12


@dataclass(frozen=True)
class Group:
    """One line of the list. `id` is its newest row's id (what POST notifications/read takes);
    `actors` are users, newest first; `count` is the distinct people in it (or its rows, for
    kinds without people)."""

    id: int
    kind: str
    group_key: str
    actors: list[User]
    count: int
    target_type: str
    target_id: int
    data: dict
    created_at: datetime.datetime
    read: bool

    @property
    def text(self) -> str:
        return texts.text(
            self.kind,
            actors=self.actors,
            count=self.count,
            data=self.data,
            target_id=self.target_id,
        )


@dataclass(frozen=True)
class GroupPage:
    groups: list[Group]
    next_cursor: str | None


@dataclass(frozen=True)
class KindSetting:
    kind: str
    label: str
    enabled: bool


def visible_to(user: User) -> Q:
    """The user's own rows, except those about someone blocked either way or gone."""
    blocked = Block.objects.filter(blocker=user).values("blocked")
    blockers = Block.objects.filter(blocked=user).values("blocker")
    present = Q(actor__isnull=True) | Q(actor__is_active=True, actor__anonymised_at__isnull=True)
    return Q(recipient=user) & present & ~Q(actor__in=blocked) & ~Q(actor__in=blockers)


def unread_count(user: User) -> int:
    """Unread rows the user may see (one query): the badge's number."""
    return Notification.objects.filter(visible_to(user), read_at__isnull=True).count()


def encode_cursor(group_id: int) -> str:
    return f"g{group_id}"


def decode_cursor(cursor: str) -> int:
    """The newest-row id a cursor names; InvalidCursor (400) for anything we did not give out."""
    if not cursor.startswith("g") or not cursor[1:].isascii() or not cursor[1:].isdigit():
        raise InvalidCursor()
    value = int(cursor[1:])
    if not 0 < value < 2**63:
        raise InvalidCursor()
    return value


def group_page(user: User, *, cursor: str | None = None, limit: int = PAGE_SIZE) -> GroupPage:
    """A page of the user's groups, newest first (two queries whatever `limit`, 1..MAX)."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    before = decode_cursor(cursor) if cursor else None
    groups = _groups(user, before=before, limit=limit + 1)
    next_cursor = encode_cursor(groups[limit - 1].id) if len(groups) > limit else None
    return GroupPage(groups=groups[:limit], next_cursor=next_cursor)


def group_of(notification: Notification) -> Group | None:
    """The group a row belongs to, as its recipient reads it (None if they may not)."""
    found = _groups(notification.recipient, keys=[notification.group_key], limit=1)
    return found[0] if found else None


def _groups(
    user: User, *, before: int | None = None, keys: list[str] | None = None, limit: int
) -> list[Group]:
    visible = Notification.objects.filter(visible_to(user))
    if keys is not None:
        visible = visible.filter(group_key__in=keys)
    summaries = (
        visible.values("group_key")
        .annotate(
            newest=Max("id"),
            rows=Count("id"),
            people=Count("actor", distinct=True),
            unread=Count("id", filter=Q(read_at__isnull=True)),
        )
        .order_by("-newest")
    )
    if before is not None:
        summaries = summaries.filter(newest__lt=before)
    summaries = list(summaries[:limit])
    if not summaries:
        return []
    rows_by_key: dict[str, list[Notification]] = {}
    newest_rows = (
        visible.filter(group_key__in=[summary["group_key"] for summary in summaries])
        .annotate(
            position=Window(RowNumber(), partition_by=[F("group_key")], order_by=F("id").desc())
        )
        .filter(position__lte=ROWS_PER_GROUP)
        .select_related("actor")
        .order_by("group_key", "-id")
    )
    for row in newest_rows:
        rows_by_key.setdefault(row.group_key, []).append(row)
    return [_group(summary, rows_by_key[summary["group_key"]]) for summary in summaries]


def _group(summary: dict, rows: list[Notification]) -> Group:
    newest = rows[0]
    actors: list[User] = []
    for row in rows:
        if row.actor is not None and all(actor.pk != row.actor_id for actor in actors):
            actors.append(row.actor)
        if len(actors) == ACTORS_SHOWN:
            break
    return Group(
        id=newest.pk,
        kind=newest.kind,
        group_key=newest.group_key,
        actors=actors,
        count=summary["people"] or summary["rows"],
        target_type=newest.target_type,
        target_id=newest.target_id,
        data=newest.data,
        created_at=newest.created_at,
        read=summary["unread"] == 0,
    )


def _url(name: str, *args) -> str | None:
    # A target whose page does not exist (yet) is named without a link.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def target_url(group: Group, viewer: User) -> str | None:
    """Where tapping the line goes: the post, the order, your followers, your earnings."""
    if group.target_type == "post":
        return _url("posts:detail", group.target_id)
    if group.target_type == "order":
        return _url("commerce:order_detail", group.target_id)
    if group.target_type == "user":
        return _url("accounts:followers", viewer.username)
    if group.target_type == "commission":
        return _url("rewards:earnings")
    return None


def group_payload(group: Group, viewer: User) -> dict:
    """The API's notification item (also pushed over the socket)."""
    actors = [author_payload(actor) for actor in group.actors]
    return {
        "id": group.id,
        "kind": group.kind,
        "actor": actors[0] if actors else None,
        "actors": actors,
        "count": group.count,
        "target": {
            "type": group.target_type,
            "id": group.target_id,
            "url": target_url(group, viewer),
        },
        "text": group.text,
        "created_at": group.created_at.isoformat().replace("+00:00", "Z"),
        "read": group.read,
    }


def kind_settings(user: User) -> list[KindSetting]:
    """Every kind with its label and whether the user gets it (one query)."""
    off = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return [
        KindSetting(kind=kind, label=label, enabled=kind not in off) for kind, label in Kind.choices
    ]
