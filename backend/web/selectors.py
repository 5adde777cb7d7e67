"""Reads the shell's pages need that belong to no app yet (the home page's suggestions)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from backend.accounts.models import Block, Follow, Mute, User
from backend.accounts.selectors import with_follow_counts

# "Recent" people: joined or signed in within this window, so suggestions are people still around.
SUGGESTION_WINDOW = timedelta(days=90)


def people_to_follow(*, viewer: User, limit: int = 6) -> QuerySet[User]:
    """The most-followed recent people `viewer` does not follow yet, newest first on a tie.

    Leaves out the viewer, deleted and deactivated accounts, anyone on either side of a block
    with the viewer and anyone the viewer muted. Each user carries `followers_count`. One query.
    """
    since = timezone.now() - SUGGESTION_WINDOW
    followed = Follow.objects.filter(follower=viewer).values("followee")
    blocked = Block.objects.filter(blocker=viewer).values("blocked")
    blocking = Block.objects.filter(blocked=viewer).values("blocker")
    muted = Mute.objects.filter(muter=viewer).values("muted")
    candidates = (
        User.objects.filter(is_active=True, anonymised_at__isnull=True)
        .filter(Q(date_joined__gte=since) | Q(last_login__gte=since))
        .exclude(pk=viewer.pk)
        .exclude(pk__in=followed)
        .exclude(pk__in=blocked)
        .exclude(pk__in=blocking)
        .exclude(pk__in=muted)
    )
    return with_follow_counts(candidates).order_by("-followers_count", "-date_joined", "-pk")[
        :limit
    ]
