"""Reads the shell's pages need that belong to no app yet (the home page's suggestions)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from backend.accounts.models import Block, Follow, Mute, User

# "Recent" people: joined or signed in within this window, so suggestions are people still around.
SUGGESTION_WINDOW = timedelta(days=90)


def _follower_count():
    counts = (
        Follow.objects.filter(followee=OuterRef("pk"))
        .order_by()
        .values("followee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def people_to_follow(*, viewer: User, limit: int = 6) -> QuerySet[User]:
    """The most-followed recent people `viewer` does not follow yet, newest first on a tie.

    Leaves out the viewer, anonymised and inactive accounts, and anyone on either side of a
    block or muted by the viewer. Each user carries `follower_count`. One query.
    """
    since = timezone.now() - SUGGESTION_WINDOW
    followed = Follow.objects.filter(follower=viewer).values("followee")
    blocked = Block.objects.filter(blocker=viewer).values("blocked")
    blocking = Block.objects.filter(blocked=viewer).values("blocker")
    muted = Mute.objects.filter(muter=viewer).values("muted")
    return (
        User.objects.filter(is_active=True, anonymised_at__isnull=True)
        .filter(Q(date_joined__gte=since) | Q(last_login__gte=since))
        .exclude(pk=viewer.pk)
        .exclude(pk__in=followed)
        .exclude(pk__in=blocked)
        .exclude(pk__in=blocking)
        .exclude(pk__in=muted)
        .annotate(follower_count=_follower_count())
        .order_by("-follower_count", "-date_joined", "-pk")[:limit]
    )


def follow_counts(*, user: User) -> dict[str, int]:
    """{"followers": n, "following": m} for `user`, in one query."""
    counts = Follow.objects.filter(Q(followee=user) | Q(follower=user)).aggregate(
        followers=Count("pk", filter=Q(followee=user)),
        following=Count("pk", filter=Q(follower=user)),
    )
    return {"followers": counts["followers"], "following": counts["following"]}
