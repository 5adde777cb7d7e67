"""Reads of users and the social graph: the questions every app asks about who may see whom.

Rules that hold everywhere:
- "Friends" are mutual follows; a close friend is someone on the owner's close-friends list.
- A block, in either direction, hides the two users from each other everywhere.
- Deleted (anonymised) and deactivated accounts are gone: lookups by username miss them and their
  content is visible to no one.
- A `viewer` may be None or an AnonymousUser; both mean "not signed in".

Costs are stated per function; none grows with the size of the graph in number of queries.
Import from here (`from backend.accounts import selectors`); the submodules are its rooms.
"""

from backend.accounts.models import Visibility
from backend.accounts.selectors.graph import (
    blocked_ids,
    close_friend_ids,
    friend_ids,
    is_blocked_either,
    is_following,
    is_friend,
    may_view,
    muted_ids,
    visible_author_filter,
)
from backend.accounts.selectors.profiles import (
    FollowCounts,
    Profile,
    Relationship,
    blocked_users,
    close_friends_of,
    follow_counts,
    followers_of,
    following_of,
    muted_users,
    own_profile,
    profile_get,
    with_follow_counts,
)
from backend.accounts.selectors.users import (
    Viewer,
    canonical_username,
    email_exists,
    user_by_username,
    username_exists,
)

__all__ = [
    "FollowCounts",
    "Profile",
    "Relationship",
    "Viewer",
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
