"""Notifications and who wants which kind of them.

One row per recipient and event (the event's id keeps a redelivered event from notifying twice).
Rows that read as one line in the list ("Ana and 3 others liked your post") share a
`group_key`; the list groups them when it is read, so a new like only inserts a row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    FOLLOW = "follow", "New followers"
    LIKE = "like", "Likes on your posts"
    COMMENT = "comment", "Comments on your posts"
    MENTION = "mention", "Mentions"
    ORDER_PAID = "order_paid", "Your order is paid"
    ORDER_SHIPPED = "order_shipped", "Your order has shipped"
    ORDER_DELIVERED = "order_delivered", "Your order was delivered"
    REFUND_DECIDED = "refund_decided", "Decisions on your refund requests"
    COMMISSION_ACCRUED = "commission_accrued", "Commissions you earn"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # Who did it; None for what the shop or the platform did (an order shipped).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # What it is about, as the API names it: ("post", id), ("order", id), ("user", id), ...
    target_type = models.CharField(max_length=16)
    target_id = models.BigIntegerField()
    group_key = models.CharField(max_length=80)
    # Kind-specific facts for the text (an amount, a comment's first words, a refund's outcome).
    data = models.JSONField(default=dict, blank=True)
    event_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event_id", "recipient"], name="notification_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_recent_idx"),
            models.Index(fields=["recipient", "group_key"], name="notif_group_idx"),
            models.Index(
                fields=["recipient"], name="notif_unread_idx", condition=Q(read_at__isnull=True)
            ),
        ]


class NotificationOptOut(models.Model):
    """A kind the user turned off: nothing of it is stored or pushed from then on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_opt_out_uniq")
        ]


class DiscoverEntry(models.Model):
    """A post's place in one discover chip: "all", or the slug of a top-level category of a
    product it tags. Written only by feed.discover.scores' refresh (a scheduled job), so a page
    read is an indexed top-K of this table, never a sum over likes and orders."""

    ALL = "all"

    category = models.CharField(max_length=70)
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    # The post's author, copied so closeness and diversity read no other row.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "post"], name="discover_entry_uniq")
        ]
        indexes = [
            models.Index(fields=["category", "-score", "-post"], name="discover_rank_idx"),
        ]


class PrivacySettings(models.Model):
    """What a user lets others see of them beyond their posts. No row: the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="feed_privacy",
    )
    # Whether friends see this user among "friends who bought this" on product pages.
    show_purchases = models.BooleanField(default=True)
