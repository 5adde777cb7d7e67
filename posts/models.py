"""Posts and everything people do with them.

A post belongs to its author; others see it only as `selectors` allow (visibility, drafts, soft
deletion, moderation, blocks). Like/save/comment counts are kept on the post (updated with F()
in the same transaction as the row they count) so a feed page never counts rows.
Posts are never hard-deleted: orders and commissions may refer to them (through share links).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.accounts.models import Visibility

TEXT_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 1000
ALT_TEXT_MAX_LENGTH = 300
MAX_IMAGES = 18
MAX_TAGS = 20


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    text = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    location = models.CharField(max_length=120, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    save_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when first published; feeds order by it (a draft published later is new then).
    published_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Set by an operator after a report is upheld; the author still sees it, marked hidden.
    hidden_at = models.DateTimeField(null=True, blank=True)
    # What a card shows of the pictures, tags and hashtags (posts/snapshot.py), kept in step
    # with their rows so a feed page reads no row per kind.
    card = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["author", "-published_at", "-id"],
                name="post_author_timeline_idx",
                condition=Q(status="published", deleted_at__isnull=True),
            ),
            models.Index(
                fields=["-published_at", "-id"],
                name="post_published_idx",
                condition=Q(status="published", deleted_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"post #{self.pk} by {self.author_id}"


class PostMedia(models.Model):
    """A picture or the video of a post, in the author's order."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media_items")
    media = models.ForeignKey("media.Media", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    alt_text = models.CharField(max_length=ALT_TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["post", "position"]
        constraints = [
            models.UniqueConstraint(fields=["post", "position"], name="post_media_position_uniq"),
            models.UniqueConstraint(fields=["post", "media"], name="post_media_once_uniq"),
        ]


class ProductTag(models.Model):
    """A product (optionally one SKU) tagged in a post, placed at x,y (0..1) on one of its
    pictures, or on the post as a whole when no picture is named."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="tags")
    product = models.ForeignKey("commerce.Product", on_delete=models.PROTECT, related_name="+")
    sku = models.ForeignKey(
        "commerce.SKU", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    media = models.ForeignKey(
        "media.Media", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["post", "position"]
        indexes = [models.Index(fields=["product", "post"], name="tag_product_post_idx")]


class Hashtag(models.Model):
    """A hashtag, stored case-folded (`#Mango` and `#mango` are one tag)."""

    name = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return f"#{self.name}"


class PostHashtag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_hashtags")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="post_hashtags")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["post", "position"]
        constraints = [
            models.UniqueConstraint(fields=["post", "hashtag"], name="post_hashtag_uniq"),
        ]
        indexes = [models.Index(fields=["hashtag", "post"], name="hashtag_posts_idx")]


class Mention(models.Model):
    """An @username in a post's text or in a comment."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    comment = models.ForeignKey(
        "Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"],
                condition=Q(comment__isnull=True),
                name="mention_in_post_uniq",
            ),
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=Q(comment__isnull=False),
                name="mention_in_comment_uniq",
            ),
        ]


class Like(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="like_once_uniq")]
        indexes = [models.Index(fields=["post", "-created_at"], name="like_post_recent_idx")]


class Collection(models.Model):
    """A named set of saved posts ("Summer fruit", "To bake")."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections"
    )
    name = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="collection_name_uniq"),
        ]

    def __str__(self) -> str:
        return self.name


class Save(models.Model):
    """A saved post, in at most one of the saver's collections (none = just "Saved")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="saves")
    collection = models.ForeignKey(
        Collection, on_delete=models.SET_NULL, null=True, blank=True, related_name="saves"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="save_once_uniq")]
        indexes = [models.Index(fields=["user", "-created_at"], name="save_user_recent_idx")]


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    # Soft deletion by the comment's author or the post's author.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        indexes = [models.Index(fields=["post", "created_at", "id"], name="comment_post_idx")]


class Report(models.Model):
    """Someone's report of a post; operators review the open ones in the admin."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or scam"
        MISLEADING = "misleading", "Misleading product claims"
        UNDISCLOSED_AD = "undisclosed_ad", "Advertising without saying so"
        HARASSMENT = "harassment", "Harassment or hate"
        INAPPROPRIATE = "inappropriate", "Nudity or violence"
        UNSAFE_FOOD = "unsafe_food", "Unsafe food"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open"
        UPHELD = "upheld"  # the post was hidden
        DISMISSED = "dismissed"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="report_once_uniq"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="report_queue_idx")]
