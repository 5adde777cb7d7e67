"""People to follow: who the viewer's friends follow, and whose posts the viewer liked.

Trust is what the product runs on, so suggestions come from the viewer's own circle first:
- friends of friends: people followed by people the viewer follows, ranked by how many of them
  ("Followed by Ana and 2 others you know");
- people whose posts the viewer liked, ranked by how many likes;
- then, so that a newcomer who follows nobody still has somewhere to start, the most followed
  people who have been around lately.
Never the viewer, never someone the viewer follows already, never anyone blocked either way or
muted by the viewer, never a deleted or deactivated account.

The ranked list is one query whatever its length; the names of the people "you know" behind
each suggestion are one more, for the whole page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from backend.accounts.models import Block, Follow, Mute, User
from backend.accounts.selectors import with_follow_counts

# Popular people are suggested only when they joined or signed in this recently: a suggestion
# to follow someone who left long ago is a dead end.
RECENT_WINDOW = timedelta(days=90)
# The people "you know" named in a suggestion's line; the rest are counted.
NAMED_MUTUALS = 2


class Reason:
    """Why someone is suggested (the API's `reason`), strongest first."""

    PEOPLE_YOU_KNOW = "followed_by_people_you_know"
    LIKED_POSTS = "you_liked_their_posts"
    POPULAR = "popular"


@dataclass(frozen=True)
class Suggestion:
    user: User
    reason: str
    # How many of the people the viewer follows follow this person.
    mutual_count: int
    # Up to NAMED_MUTUALS of those people, most recent follow first.
    mutual_names: list[str] = field(default_factory=list)
    liked_count: int = 0

    @property
    def text(self) -> str:
        """The line under the name: "Followed by Ana and 2 others you know"."""
        if self.reason == Reason.PEOPLE_YOU_KNOW:
            return f"Followed by {_people_line(self.mutual_names, self.mutual_count)}"
        if self.reason == Reason.LIKED_POSTS:
            return "You liked their posts"
        return "Popular on Word of mouth"


def _people_line(names: list[str], count: int) -> str:
    if not names:
        return f"{count} {'person' if count == 1 else 'people'} you know"
    if count == 1:
        return names[0]
    if count == 2 and len(names) == 2:
        return f"{names[0]} and {names[1]}"
    others = count - 1
    return f"{names[0]} and {others} other{'s' if others > 1 else ''} you know"


def _followees(viewer: User) -> QuerySet[Follow]:
    """The present people `viewer` follows, as a subquery of their ids."""
    return Follow.objects.filter(
        follower=viewer, followee__is_active=True, followee__anonymised_at__isnull=True
    ).values("followee")


def _count(rows: QuerySet, group_by: str) -> Coalesce:
    """The number of `rows` (already correlated to the outer user) as an annotation."""
    counted = rows.order_by().values(group_by).annotate(n=Count("*")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def ranked(viewer: User) -> QuerySet[User]:
    """Everyone worth suggesting to `viewer`, best first, each annotated with `mutual_count`,
    `liked_count` and `followers_count`. One query for any slice of it."""
    followees = _followees(viewer)
    known_follow = Follow.objects.filter(follower__in=followees)
    liked_authors = User.objects.filter(posts__likes__user=viewer).values("pk")
    since = timezone.now() - RECENT_WINDOW
    candidates = (
        User.objects.filter(is_active=True, anonymised_at__isnull=True)
        .filter(
            Q(pk__in=known_follow.values("followee"))
            | Q(pk__in=liked_authors)
            | Q(date_joined__gte=since)
            | Q(last_login__gte=since)
        )
        .exclude(pk=viewer.pk)
        .exclude(pk__in=Follow.objects.filter(follower=viewer).values("followee"))
        .exclude(pk__in=Block.objects.filter(blocker=viewer).values("blocked"))
        .exclude(pk__in=Block.objects.filter(blocked=viewer).values("blocker"))
        .exclude(pk__in=Mute.objects.filter(muter=viewer).values("muted"))
    )
    likes = User.objects.filter(pk=OuterRef("pk"), posts__likes__user=viewer)
    annotated = with_follow_counts(candidates).annotate(
        mutual_count=_count(known_follow.filter(followee=OuterRef("pk")), "followee"),
        liked_count=_count(likes, "pk"),
    )
    return annotated.order_by(
        "-mutual_count", "-liked_count", "-followers_count", "-date_joined", "-pk"
    )


def _mutual_names(viewer: User, user_ids: list[int]) -> dict[int, list[str]]:
    """For each of `user_ids`, the names of up to NAMED_MUTUALS people `viewer` follows who
    follow them, most recent follow first; one query."""
    names: dict[int, list[str]] = defaultdict(list)
    if not user_ids:
        return names
    rows = (
        Follow.objects.filter(followee_id__in=user_ids, follower__in=_followees(viewer))
        .select_related("follower")
        .order_by("followee_id", "-created_at", "-pk")
    )
    for row in rows:
        if len(names[row.followee_id]) < NAMED_MUTUALS:
            names[row.followee_id].append(row.follower.name)
    return names


def _reason(user: User) -> str:
    if user.mutual_count:
        return Reason.PEOPLE_YOU_KNOW
    if user.liked_count:
        return Reason.LIKED_POSTS
    return Reason.POPULAR


def suggestions(viewer: User, *, limit: int, offset: int = 0) -> list[Suggestion]:
    """People `viewer` may want to follow, best first: `limit` of them after the first
    `offset`. At most two queries whatever `limit` is."""
    users = list(ranked(viewer)[offset : offset + limit])
    names = _mutual_names(viewer, [user.pk for user in users if user.mutual_count])
    return [
        Suggestion(
            user=user,
            reason=_reason(user),
            mutual_count=user.mutual_count,
            mutual_names=names.get(user.pk, []),
            liked_count=user.liked_count,
        )
        for user in users
    ]
