"""Users and the social graph every app consults.

The graph is four kinds of directed edge between users: follow, block, mute and close friend.
"Friends" are not stored: they are mutual follows. Apps read the graph through
`backend.accounts.selectors` and change it through `backend.accounts.services`.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class Visibility(models.TextChoices):
    """Who may see a piece of content; posts store one of these (selectors.may_view decides)."""

    PUBLIC = "public", "Everyone"
    FOLLOWERS = "followers", "Followers"
    FRIENDS = "friends", "Friends (mutual follows)"
    CLOSE_FRIENDS = "close_friends", "Close friends"


class User(AbstractUser):
    display_name = models.CharField(max_length=60, blank=True)
    bio = models.CharField(max_length=300, blank=True)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    # Set when the account is deleted: the row stays (money refers to it), the person is gone.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta(AbstractUser.Meta):
        constraints = [
            # "Alice" and "alice" would be one person to everyone reading a profile URL.
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class _Edge(models.Model):
    """A directed relation between two distinct users, at most once per pair."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Follow(_Edge):
    # The composite indexes below lead with each column, so the plain FK indexes would be waste.
    follower = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="follows_given", db_index=False
    )
    followee = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="follows_received", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_once"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")), name="follow_not_self"
            ),
        ]
        indexes = [
            # followers_of / following_of read newest first.
            models.Index(fields=["followee", "created_at"], name="follow_followee_time"),
            models.Index(fields=["follower", "created_at"], name="follow_follower_time"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followee_id}"


class Block(_Edge):
    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_given")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(_Edge):
    muter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes_given")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes_received")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_once"),
            models.CheckConstraint(
                condition=~models.Q(muter=models.F("muted")), name="mute_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} mutes {self.muted_id}"


class CloseFriend(_Edge):
    """`friend` is on `owner`'s close-friends list and sees owner's close-friends content."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="close_friends_given")
    friend = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="close_friends_received"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "friend"], name="close_friend_once"),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("friend")), name="close_friend_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.friend_id} is a close friend of {self.owner_id}"
