"""Steps shared by the attribution tests: links made by the real service, orders bought through
the real cart and checkout and paid through the sandbox webhook, and the events that follow."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from backend.events.models import Event
from commerce.models import Order
from shoplinks.models import AgentClass, Click, Decision, ShareLink
from shoplinks.services import link_get_or_create
from tests.commerce.buying import buy
from tests.commerce.payment_support import payment_event, post_webhook

# A person's phone browser: a tap that counts.
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def make_link(sharer, product, post=None) -> ShareLink:
    link, _ = link_get_or_create(
        sharer=sharer, product_id=product.pk, post_id=post.pk if post else None
    )
    return link


def stored_click(
    link: ShareLink, *, user=None, visitor_id: str = "", ago=timedelta(minutes=5), **flags
) -> Click:
    """A click as a flush stores it, `ago` before now; flags (is_bot, is_duplicate,
    is_rate_limited) make it not counted. For tests of what attribution does with stored
    clicks; the journeys tap /s/<code> instead."""
    return Click.objects.create(
        uid=uuid.uuid4(),
        link=link,
        product_id=link.product_id,
        sharer_id=link.sharer_id,
        user=user,
        visitor_id=visitor_id,
        clicked_at=timezone.now() - ago,
        agent_class=AgentClass.MOBILE,
        counted=not any(flags.values()),
        **flags,
    )


def buy_and_pay(client, buyer, *items) -> list[Order]:
    """Check out `(sku, quantity)` pairs as `buyer` and pay through the signed sandbox webhook,
    delivering every event that follows (order.paid, then attribution.decided)."""
    result = buy(buyer, *items)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = post_webhook(client, payment_event("payment.succeeded", result.payment))
    assert response.status_code == 200
    return list(result.orders)


def final_decision(order: Order) -> Decision:
    """The one final decision of a one-line order."""
    return Decision.objects.get(order=order, final=True)


def decided_payloads() -> list[dict]:
    return list(
        Event.objects.filter(name="attribution.decided")
        .order_by("pk")
        .values_list("payload", flat=True)
    )


def forget_decisions(decisions) -> None:
    """Undo decisions as if never made; rewards' commissions on them go first (they protect
    the decision they came from)."""
    from rewards.models import Commission

    Commission.objects.filter(decision__in=decisions).delete()
    decisions.delete()
