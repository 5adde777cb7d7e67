"""Profiles with their counts and the viewer's standing, and the lists of people on them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from backend.accounts.errors import UserNotFound
from backend.accounts.models import Block, CloseFriend, Follow, Mute, User
from backend.accounts.selectors.users import (
    Viewer,
    named,
    plausible_username,
    present_users,
    signed_in,
)


@dataclass(frozen=True)
class FollowCounts:
    followers: int
    following: int


@dataclass(frozen=True)
class Relationship:
    """How the viewer stands towards a user (all False for a viewer not signed in)."""

    is_following: bool = False
    is_followed_by: bool = False
    is_blocking: bool = False
    is_blocked_by: bool = False
    is_muting: bool = False
    is_close_friend: bool = False

    @property
    def is_friend(self) -> bool:
        return self.is_following and self.is_followed_by

    @property
    def is_blocked_either(self) -> bool:
        return self.is_blocking or self.is_blocked_by


@dataclass(frozen=True)
class Profile:
    user: User
    followers_count: int
    following_count: int
    relationship: Relationship = field(default_factory=Relationship)


def follow_counts(user: User) -> FollowCounts:
    """How many follow `user` and how many `user` follows; one query."""
    counts = Follow.objects.filter(Q(follower=user) | Q(followee=user)).aggregate(
        followers=Count("pk", filter=Q(followee=user)),
        following=Count("pk", filter=Q(follower=user)),
    )
    return FollowCounts(followers=counts["followers"], following=counts["following"])


def _edge_count(edge: str) -> Coalesce:
    rows = Follow.objects.filter(**{edge: OuterRef("pk")}).order_by().values(edge)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def with_follow_counts(users: QuerySet[User]) -> QuerySet[User]:
    """Annotates `followers_count` and `following_count` in the same query (no extra query)."""
    return users.annotate(
        followers_count=_edge_count("followee"), following_count=_edge_count("follower")
    )


_RELATIONSHIP_EDGES = {
    "is_following": (Follow, "follower", "followee"),
    "is_followed_by": (Follow, "followee", "follower"),
    "is_blocking": (Block, "blocker", "blocked"),
    "is_blocked_by": (Block, "blocked", "blocker"),
    "is_muting": (Mute, "muter", "muted"),
    "is_close_friend": (CloseFriend, "owner", "friend"),
}


def profile_get(*, username: str, viewer: Viewer) -> Profile:
    """A user's profile with counts and the viewer's relationship to them, in one query.

    Raises UserNotFound for unknown, deleted or deactivated users. Blocks are reported in
    `relationship`, not enforced here: the API hides the profile on a block either way, while the
    blocker's own page still shows an Unblock button.
    """
    if not plausible_username(username):
        raise UserNotFound()
    users = with_follow_counts(named(present_users(), username))
    known_viewer = signed_in(viewer)
    if known_viewer:
        users = users.annotate(
            **{
                name: Exists(model.objects.filter(**{viewer_side: viewer, other: OuterRef("pk")}))
                for name, (model, viewer_side, other) in _RELATIONSHIP_EDGES.items()
            }
        )
    user = users.first()
    if user is None:
        raise UserNotFound()
    relationship = Relationship(
        **{name: bool(getattr(user, name)) for name in _RELATIONSHIP_EDGES} if known_viewer else {}
    )
    return Profile(
        user=user,
        followers_count=user.followers_count,
        following_count=user.following_count,
        relationship=relationship,
    )


def own_profile(user: User) -> Profile:
    """The signed-in user's own profile (no relationship); one query."""
    counts = follow_counts(user)
    return Profile(user=user, followers_count=counts.followers, following_count=counts.following)


def _listed(users: QuerySet[User], *, since: str, viewer: Viewer) -> QuerySet[User]:
    """Present users, newest edge first, hiding anyone blocked either way with the viewer and
    annotating `viewer_follows` so a page of rows renders its Follow buttons without queries."""
    users = users.filter(is_active=True, anonymised_at__isnull=True).annotate(since=F(since))
    if signed_in(viewer):
        users = users.exclude(
            pk__in=Block.objects.filter(blocker=viewer).values("blocked")
        ).exclude(pk__in=Block.objects.filter(blocked=viewer).values("blocker"))
        users = users.annotate(
            viewer_follows=Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk")))
        )
    else:
        users = users.annotate(viewer_follows=Value(False))
    return users.order_by("-since", "-pk")


def followers_of(user: User, *, viewer: Viewer = None) -> QuerySet[User]:
    """The users following `user`, most recent first; `since` is when each followed."""
    return _listed(
        User.objects.filter(follows_given__followee=user),
        since="follows_given__created_at",
        viewer=viewer,
    )


def following_of(user: User, *, viewer: Viewer = None) -> QuerySet[User]:
    """The users `user` follows, most recent first; `since` is when user followed each."""
    return _listed(
        User.objects.filter(follows_received__follower=user),
        since="follows_received__created_at",
        viewer=viewer,
    )


def close_friends_of(owner: User) -> QuerySet[User]:
    """`owner`'s close-friends list, most recently added first."""
    return _listed(
        User.objects.filter(close_friends_received__owner=owner),
        since="close_friends_received__created_at",
        viewer=owner,
    )


def blocked_users(user: User) -> QuerySet[User]:
    """The users `user` blocks, most recent first (for an Unblock list)."""
    return User.objects.filter(blocks_received__blocker=user).order_by(
        "-blocks_received__created_at", "-pk"
    )


def muted_users(user: User) -> QuerySet[User]:
    """The users `user` mutes, most recent first."""
    return _listed(
        User.objects.filter(mutes_received__muter=user),
        since="mutes_received__created_at",
        viewer=user,
    )
