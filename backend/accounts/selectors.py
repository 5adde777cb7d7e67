"""Reads of users and the social graph: the questions every app asks about who may see whom.

Rules that hold everywhere:
- "Friends" are mutual follows; a close friend is someone on the owner's close-friends list.
- A block, in either direction, hides the two users from each other everywhere.
- Deleted (anonymised) and deactivated accounts are gone: lookups by username miss them and their
  content is visible to no one.
- A `viewer` may be None or an AnonymousUser; both mean "not signed in".

Costs are stated per function; none grows with the size of the graph in number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower

from backend.accounts.errors import UserNotFound
from backend.accounts.models import Block, CloseFriend, Follow, Mute, User, Visibility

__all__ = [
    "FollowCounts",
    "Profile",
    "Relationship",
    "Visibility",
    "blocked_ids",
    "blocked_users",
    "canonical_username",
    "close_friend_ids",
    "close_friends_of",
    "email_exists",
    "follow_counts",
    "followers_of",
    "following_of",
    "friend_ids",
    "is_blocked_either",
    "is_following",
    "is_friend",
    "may_view",
    "muted_ids",
    "muted_users",
    "own_profile",
    "profile_get",
    "user_by_username",
    "username_exists",
    "visible_author_filter",
    "with_follow_counts",
]

USERNAME_MAX_LENGTH = 150


def _signed_in(viewer) -> bool:
    return viewer is not None and bool(getattr(viewer, "is_authenticated", False))


def _present_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True, anonymised_at__isnull=True)


def _plausible(username: str) -> bool:
    # PostgreSQL refuses NUL in text parameters; no username could hold one anyway.
    return bool(username) and len(username) <= USERNAME_MAX_LENGTH and "\x00" not in username


def _named(users: QuerySet[User], username: str) -> QuerySet[User]:
    # Lower() matches the case-insensitive unique index; the exact match covers non-ASCII
    # names, which SQLite's LOWER() leaves alone.
    return users.alias(username_lower=Lower("username")).filter(
        Q(username_lower=username.lower()) | Q(username=username)
    )


def user_by_username(username: str) -> User:
    """The present (active, not deleted) user with this username, any letter case; one query.

    Raises UserNotFound otherwise. Does not look at blocks: see `profile_get` for that.
    """
    if not _plausible(username):
        raise UserNotFound()
    user = _named(_present_users(), username).first()
    if user is None:
        raise UserNotFound()
    return user


def username_exists(username: str) -> bool:
    """Whether any account, present or not, holds this username in any letter case."""
    return _plausible(username) and _named(User.objects.all(), username).exists()


def canonical_username(username: str) -> str | None:
    """The stored spelling of a username typed in any letter case, or None."""
    if not _plausible(username):
        return None
    return _named(User.objects.all(), username).values_list("username", flat=True).first()


def email_exists(email: str) -> bool:
    """Whether an account uses this email address, in any letter case."""
    # The email != "" condition lets PostgreSQL use the partial unique index on LOWER(email).
    return (
        User.objects.exclude(email="")
        .alias(email_lower=Lower("email"))
        .filter(email_lower=email.lower())
        .exists()
    )


# --- Pairwise questions (one query each) ------------------------------------------------------


def is_following(follower, followee) -> bool:
    """Whether `follower` follows `followee`; False for a viewer who is not signed in."""
    if not _signed_in(follower):
        return False
    return Follow.objects.filter(follower=follower, followee=followee).exists()


def is_friend(a, b) -> bool:
    """Whether a and b follow each other."""
    if not _signed_in(a) or not _signed_in(b) or a.pk == b.pk:
        return False
    both_ways = Q(follower=a, followee=b) | Q(follower=b, followee=a)
    return Follow.objects.filter(both_ways).count() == 2


def is_blocked_either(a, b) -> bool:
    """Whether a blocks b or b blocks a."""
    if not _signed_in(a) or not _signed_in(b):
        return False
    return Block.objects.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


# --- Sets of ids (one query each), for filtering in Python or in a query ---------------------


def friend_ids(user) -> set[int]:
    """Ids of the users `user` follows who follow `user` back."""
    followers = Follow.objects.filter(followee=user).values("follower")
    return set(
        Follow.objects.filter(follower=user, followee__in=followers).values_list(
            "followee_id", flat=True
        )
    )


def close_friend_ids(owner) -> set[int]:
    """Ids of the users on `owner`'s close-friends list."""
    return set(CloseFriend.objects.filter(owner=owner).values_list("friend_id", flat=True))


def blocked_ids(user) -> set[int]:
    """Ids of the users hidden from `user` by a block in either direction."""
    pairs = Block.objects.filter(Q(blocker=user) | Q(blocked=user)).values_list(
        "blocker_id", "blocked_id"
    )
    return {other for pair in pairs for other in pair} - {user.pk}


def muted_ids(user) -> set[int]:
    """Ids of the users `user` has muted (their posts stay out of user's feeds)."""
    return set(Mute.objects.filter(muter=user).values_list("muted_id", flat=True))


# --- Visibility --------------------------------------------------------------------------------


def may_view(*, viewer, author: User, visibility: str) -> bool:
    """Whether `viewer` may see content that `author` published at `visibility`.

    The author always may. Otherwise a deleted or deactivated author's content is hidden, a
    block either way hides everything, a viewer not signed in sees only public content, and
    followers / friends / close_friends need a follow / mutual follow / a place on the author's
    close-friends list. At most two queries. `visible_author_filter` is the same rule for a query.
    """
    if visibility not in Visibility.values:
        raise ValueError(f"unknown visibility {visibility!r}")
    if _signed_in(viewer) and viewer.pk == author.pk:
        return True
    if not author.is_active or author.anonymised_at is not None:
        return False
    if not _signed_in(viewer):
        return visibility == Visibility.PUBLIC
    if is_blocked_either(viewer, author):
        return False
    if visibility == Visibility.PUBLIC:
        return True
    if visibility == Visibility.FOLLOWERS:
        return is_following(viewer, author)
    if visibility == Visibility.FRIENDS:
        return is_friend(viewer, author)
    return CloseFriend.objects.filter(owner=author, friend=viewer).exists()


def _author(author_field: str, lookup: str = "") -> str:
    """The lookup path to the author, one of its fields or a lookup on it ("in");
    author_field "" means the rows are the users themselves."""
    if author_field:
        return f"{author_field}__{lookup}" if lookup else author_field
    if lookup in ("", "in"):
        return f"pk__{lookup}" if lookup else "pk"
    return lookup


def visible_author_filter(
    viewer,
    *,
    author_field: str = "author",
    visibility_field: str = "visibility",
    exclude_muted: bool = False,
) -> Q:
    """`may_view` for a whole queryset: a Q keeping the rows `viewer` may see.

    `author_field` is the path from the queried model to the author (a FK to User; "" when the
    rows are users themselves) and `visibility_field` the path to a `Visibility` value. The
    graph is read through subqueries inside the one SQL statement, so filtering a page of posts
    by many authors adds no query, e.g.
    `Post.objects.filter(visible_author_filter(request.user)).select_related("author")`.
    `exclude_muted=True` also drops authors the viewer muted (feeds), but never the viewer.
    """
    active = Q(**{_author(author_field, "is_active"): True}) & Q(
        **{_author(author_field, "anonymised_at__isnull"): True}
    )
    public = Q(**{visibility_field: Visibility.PUBLIC})
    if not _signed_in(viewer):
        return active & public

    def authors_in(ids) -> Q:
        return Q(**{_author(author_field, "in"): ids})

    def at(visibility: Visibility) -> Q:
        return Q(**{visibility_field: visibility})

    following = Follow.objects.filter(follower=viewer).values("followee")
    followers = Follow.objects.filter(followee=viewer).values("follower")
    friends = Follow.objects.filter(follower=viewer, followee__in=followers).values("followee")
    close_to = CloseFriend.objects.filter(friend=viewer).values("owner")
    allowed = (
        public
        | (at(Visibility.FOLLOWERS) & authors_in(following))
        | (at(Visibility.FRIENDS) & authors_in(friends))
        | (at(Visibility.CLOSE_FRIENDS) & authors_in(close_to))
    )
    others = (
        active
        & allowed
        & ~authors_in(Block.objects.filter(blocker=viewer).values("blocked"))
        & ~authors_in(Block.objects.filter(blocked=viewer).values("blocker"))
    )
    if exclude_muted:
        others &= ~authors_in(Mute.objects.filter(muter=viewer).values("muted"))
    return Q(**{_author(author_field): viewer.pk}) | others


# --- Profiles and lists ------------------------------------------------------------------------


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


def follow_counts(user) -> FollowCounts:
    """How many follow `user` and how many `user` follows; one query."""
    counts = Follow.objects.filter(Q(follower=user) | Q(followee=user)).aggregate(
        followers=Count("pk", filter=Q(followee=user)),
        following=Count("pk", filter=Q(follower=user)),
    )
    return FollowCounts(followers=counts["followers"], following=counts["following"])


def _edge_count(edge: str):
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


def profile_get(*, username: str, viewer) -> Profile:
    """A user's profile with counts and the viewer's relationship to them, in one query.

    Raises UserNotFound for unknown, deleted or deactivated users. Blocks are reported in
    `relationship`, not enforced here: the API hides the profile on a block either way, while the
    blocker's own page still shows an Unblock button.
    """
    if not _plausible(username):
        raise UserNotFound()
    users = with_follow_counts(_named(_present_users(), username))
    signed_in = _signed_in(viewer)
    if signed_in:
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
        **{name: bool(getattr(user, name)) for name in _RELATIONSHIP_EDGES} if signed_in else {}
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


def _listed(users: QuerySet[User], *, since: str, viewer) -> QuerySet[User]:
    """Present users, newest edge first, hiding anyone blocked either way with the viewer and
    annotating `viewer_follows` so a page of rows renders its Follow buttons without queries."""
    users = users.filter(is_active=True, anonymised_at__isnull=True).annotate(since=F(since))
    if _signed_in(viewer):
        hidden = Block.objects.filter(Q(blocker=viewer) | Q(blocked=viewer))
        users = users.exclude(pk__in=hidden.values("blocked")).exclude(
            pk__in=hidden.values("blocker")
        )
        users = users.annotate(
            viewer_follows=Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk")))
        )
    else:
        users = users.annotate(viewer_follows=Value(False))
    return users.order_by("-since", "-pk")


def followers_of(user, *, viewer=None) -> QuerySet[User]:
    """The users following `user`, most recent first; `since` is when each followed."""
    return _listed(
        User.objects.filter(follows_given__followee=user),
        since="follows_given__created_at",
        viewer=viewer,
    )


def following_of(user, *, viewer=None) -> QuerySet[User]:
    """The users `user` follows, most recent first; `since` is when user followed each."""
    return _listed(
        User.objects.filter(follows_received__follower=user),
        since="follows_received__created_at",
        viewer=viewer,
    )


def close_friends_of(owner) -> QuerySet[User]:
    """`owner`'s close-friends list, most recently added first."""
    return _listed(
        User.objects.filter(close_friends_received__owner=owner),
        since="close_friends_received__created_at",
        viewer=owner,
    )


def blocked_users(user) -> QuerySet[User]:
    """The users `user` blocks, most recent first (for an Unblock list)."""
    return User.objects.filter(blocks_received__blocker=user).order_by(
        "-blocks_received__created_at", "-pk"
    )


def muted_users(user) -> QuerySet[User]:
    """The users `user` mutes, most recent first."""
    return _listed(
        User.objects.filter(mutes_received__muter=user),
        since="mutes_received__created_at",
        viewer=user,
    )
