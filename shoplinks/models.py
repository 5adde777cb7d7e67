"""Share links, the taps on them, and the attribution of paid order lines.

A link is one sharer's way to a product (optionally from one of their posts). Every tap on
`/s/<code>` becomes a Click (written in batches off the request's path, see `buffer.py`); flagged
clicks are kept for the record but never counted. When an order is paid, each line gets one
final Decision (credited or why not) plus a `later_click_by_other_sharer` row for every other
link that the buyer tapped for that product within the window and that lost.
Rows here are never deleted: commissions and reports refer to them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ShareLink(models.Model):
    # Short, unguessable, URL-safe; see services.new_code.
    code = models.CharField(max_length=16, unique=True)
    sharer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="share_links"
    )
    product = models.ForeignKey("commerce.Product", on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(
        "posts.Post", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sharer", "product", "post"],
                condition=Q(post__isnull=False),
                name="share_link_per_post_uniq",
            ),
            models.UniqueConstraint(
                fields=["sharer", "product"],
                condition=Q(post__isnull=True),
                name="share_link_per_product_uniq",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class AgentClass(models.TextChoices):
    """What kind of client tapped, from its user agent."""

    MOBILE = "mobile"
    DESKTOP = "desktop"
    APP = "app"  # our own apps (API clients with a token)
    BOT = "bot"
    OTHER = "other"


class Click(models.Model):
    # Made by the request that saw the tap; a retried flush inserts each click once.
    uid = models.UUIDField(unique=True)
    link = models.ForeignKey(ShareLink, on_delete=models.PROTECT, related_name="clicks")
    # Copied from the link so attribution reads one index: (buyer, product, time).
    product = models.ForeignKey("commerce.Product", on_delete=models.PROTECT, related_name="+")
    sharer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="share_clicks",
    )
    visitor_id = models.CharField(max_length=64, blank=True)
    clicked_at = models.DateTimeField()
    agent_class = models.CharField(max_length=8, choices=AgentClass.choices)
    is_bot = models.BooleanField(default=False)
    is_duplicate = models.BooleanField(default=False)
    is_rate_limited = models.BooleanField(default=False)
    # Not flagged at all: the only clicks that figures and attribution count.
    counted = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=["user", "product", "-clicked_at"], name="click_buyer_product_idx"),
            models.Index(fields=["visitor_id", "user"], name="click_visitor_idx"),
            models.Index(fields=["link", "counted"], name="click_link_counted_idx"),
        ]


class Reason(models.TextChoices):
    CREDITED = "credited"
    NO_CLICK = "no_click"
    WINDOW_EXPIRED = "window_expired"
    SELF_PURCHASE = "self_purchase"
    FLAGGED_CLICK = "flagged_click"
    LATER_CLICK_BY_OTHER_SHARER = "later_click_by_other_sharer"


class Decision(models.Model):
    """How one paid order line was attributed (final=True, exactly one per line), or why one
    more link that the buyer tapped lost (final=False)."""

    line = models.ForeignKey("commerce.OrderLine", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("commerce.Order", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("commerce.Product", on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    link = models.ForeignKey(
        ShareLink, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    click = models.ForeignKey(
        Click, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sharer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(max_length=32, choices=Reason.choices)
    final = models.BooleanField()
    net_amount = models.PositiveIntegerField()
    placed_at = models.DateTimeField()
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["line"], condition=Q(final=True), name="decision_final_per_line_uniq"
            ),
            models.UniqueConstraint(
                fields=["line", "link"],
                condition=Q(link__isnull=False),
                name="decision_per_line_link_uniq",
            ),
        ]
        indexes = [
            models.Index(fields=["sharer", "-decided_at"], name="decision_sharer_idx"),
            models.Index(fields=["link", "reason"], name="decision_link_reason_idx"),
        ]
