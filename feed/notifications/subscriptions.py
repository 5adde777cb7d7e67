"""Which events make which notifications, for whom (DESIGN.md's events table).

One handler per event: it names the recipient, the actor, what it is about and how it groups,
and `services.notification_create` does the checks every kind shares (not oneself, no block,
not turned off, once per event). Group keys: likes and comments by post, follows by the day
(in the business time zone), everything else one line per event.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from backend.events.registry import subscribe
from commerce.catalog import selectors as catalog
from feed.models import Kind
from feed.notifications import texts
from feed.notifications.services import Draft, notification_create
from posts.models import Comment


def _create(event, draft: Draft) -> None:
    notification_create(event_id=event.pk, draft=draft)


def _comment_excerpt(comment_id: int | None) -> str:
    if comment_id is None:
        return ""
    text = Comment.objects.filter(pk=comment_id).values_list("text", flat=True).first()
    return texts.excerpt(text) if text else ""


def on_user_followed(event) -> None:
    payload = event.payload
    day = timezone.localdate(event.created_at, ZoneInfo(settings.BUSINESS_TIME_ZONE))
    _create(
        event,
        Draft(
            recipient_id=payload["target"],
            actor_id=payload["actor"],
            kind=Kind.FOLLOW,
            target_type="user",
            target_id=payload["target"],
            group_key=f"follow:{day.isoformat()}",
        ),
    )


def on_post_liked(event) -> None:
    payload = event.payload
    _create(
        event,
        Draft(
            recipient_id=payload["post_author"],
            actor_id=payload["actor"],
            kind=Kind.LIKE,
            target_type="post",
            target_id=payload["target"],
            group_key=f"like:post:{payload['target']}",
        ),
    )


def on_post_commented(event) -> None:
    payload = event.payload
    _create(
        event,
        Draft(
            recipient_id=payload["post_author"],
            actor_id=payload["actor"],
            kind=Kind.COMMENT,
            target_type="post",
            target_id=payload["target"],
            group_key=f"comment:post:{payload['target']}",
            data={
                "comment": payload["comment"],
                "excerpt": _comment_excerpt(payload["comment"]),
            },
        ),
    )


def on_user_mentioned(event) -> None:
    payload = event.payload
    _create(
        event,
        Draft(
            recipient_id=payload["target"],
            actor_id=payload["actor"],
            kind=Kind.MENTION,
            target_type="post",
            target_id=payload["post"],
            group_key=f"mention:{event.pk}",
            data={"comment": payload.get("comment")},
        ),
    )


def _order_handler(kind: str):
    def on_order_event(event) -> None:
        payload = event.payload
        _create(
            event,
            Draft(
                recipient_id=payload["buyer"],
                kind=kind,
                target_type="order",
                target_id=payload["order"],
                group_key=f"{kind}:{event.pk}",
            ),
        )

    on_order_event.__name__ = on_order_event.__qualname__ = f"on_{kind}"
    return on_order_event


on_order_paid = _order_handler(Kind.ORDER_PAID)
on_order_shipped = _order_handler(Kind.ORDER_SHIPPED)
on_order_delivered = _order_handler(Kind.ORDER_DELIVERED)


def on_refund_decided(event) -> None:
    payload = event.payload
    _create(
        event,
        Draft(
            recipient_id=payload["buyer"],
            kind=Kind.REFUND_DECIDED,
            target_type="order",
            target_id=payload["order"],
            group_key=f"refund_decided:{event.pk}",
            data={
                "refund": payload["refund"],
                "status": payload["status"],
                "amount": payload["amount"],
            },
        ),
    )


def on_commission_accrued(event) -> None:
    payload = event.payload
    product = catalog.products_by_ids([payload["product"]]).get(payload["product"])
    _create(
        event,
        Draft(
            recipient_id=payload["sharer"],
            kind=Kind.COMMISSION_ACCRUED,
            target_type="commission",
            target_id=payload["commission"],
            group_key=f"commission_accrued:{event.pk}",
            data={
                "amount": payload["amount"],
                "order": payload["order"],
                "product": payload["product"],
                "product_name": product.name if product else "",
            },
        ),
    )


# (event, handler, subscription key). Keys name the handler in HandlerRun rows: never rename.
HANDLERS = (
    ("user.followed", on_user_followed, "feed.notifications.follow"),
    ("post.liked", on_post_liked, "feed.notifications.like"),
    ("post.commented", on_post_commented, "feed.notifications.comment"),
    ("user.mentioned", on_user_mentioned, "feed.notifications.mention"),
    ("order.paid", on_order_paid, "feed.notifications.order_paid"),
    ("order.shipped", on_order_shipped, "feed.notifications.order_shipped"),
    ("order.delivered", on_order_delivered, "feed.notifications.order_delivered"),
    ("refund.decided", on_refund_decided, "feed.notifications.refund_decided"),
    ("commission.accrued", on_commission_accrued, "feed.notifications.commission_accrued"),
)


def register() -> None:
    for event_name, handler, key in HANDLERS:
        subscribe(event_name, handler, key=key)
