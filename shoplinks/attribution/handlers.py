"""The handlers shoplinks subscribes to: attribution on `order.paid`, visitor merge on
`user.signed_in`.

Both run inside the event dispatcher's transaction, once per event and handler (a failure rolls
back and is retried). Both flush the click buffer first: a tap made a moment before the order
was placed, or before the sign-up, is still in the buffer when the event arrives.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from backend.events.models import Event
from backend.events.services import publish_many
from shoplinks.attribution.rules import Tap, Verdict, decide
from shoplinks.clicks import buffer
from shoplinks.clicks.visitor import visitor_id_from_cookie
from shoplinks.models import Click, Decision, Reason


def on_order_paid(event: Event) -> None:
    """Decide every line of the paid order not decided yet, store the Decision rows and publish
    `attribution.decided` once per newly decided line.

    Idempotent: a line that already has its final decision (a redelivered event, a retry after a
    crash, a concurrent delivery) is skipped, and a concurrent insert of the same line hits the
    unique constraints, so that line is neither stored twice nor published twice.
    """
    buffer.flush()
    payload = event.payload
    buyer = payload["buyer"]
    placed_at = datetime.fromisoformat(payload["placed_at"])
    lines = payload["lines"]
    decided = set(
        Decision.objects.filter(
            line_id__in=[line["line"] for line in lines], final=True
        ).values_list("line_id", flat=True)
    )
    lines = [line for line in lines if line["line"] not in decided]
    if not lines:
        return
    taps = _taps_of(buyer, products={line["product"] for line in lines}, placed_at=placed_at)
    window = timedelta(days=settings.SHARE_ATTRIBUTION_WINDOW_DAYS)
    published = []
    for line in lines:
        verdicts = decide(
            taps=taps.get(line["product"], ()), buyer=buyer, placed_at=placed_at, window=window
        )
        rows = [_row(payload, line, verdict, placed_at) for verdict in verdicts]
        try:
            # A savepoint per line: a line decided meanwhile by another delivery leaves the
            # other lines of this event to be decided here.
            with transaction.atomic():
                Decision.objects.bulk_create(rows)
        except IntegrityError:
            continue
        published.append(_decided_payload(payload, line, verdicts[0], decision=rows[0]))
    publish_many("attribution.decided", published)


def _taps_of(buyer: int, *, products: set[int], placed_at: datetime) -> dict[int, list[Tap]]:
    """The buyer's taps on links for these products up to `placed_at`, by product; one query."""
    rows = Click.objects.filter(
        user_id=buyer, product_id__in=products, clicked_at__lte=placed_at
    ).values_list(
        "pk", "product_id", "link_id", "sharer_id", "link__post_id", "clicked_at", "counted"
    )
    taps: dict[int, list[Tap]] = {}
    for pk, product, link, sharer, post, clicked_at, counted in rows:
        taps.setdefault(product, []).append(
            Tap(
                click=pk,
                link=link,
                sharer=sharer,
                post=post,
                clicked_at=clicked_at,
                counted=counted,
            )
        )
    return taps


def _row(payload: dict, line: dict, verdict: Verdict, placed_at: datetime) -> Decision:
    tap = verdict.tap
    return Decision(
        line_id=line["line"],
        order_id=payload["order"],
        product_id=line["product"],
        buyer_id=payload["buyer"],
        # Not credited rows keep the link they are about too, so that its sharer can see why.
        link_id=tap.link if tap else None,
        click_id=tap.click if tap else None,
        sharer_id=tap.sharer if tap else None,
        reason=verdict.reason,
        final=verdict.final,
        net_amount=line["net_amount"],
        placed_at=placed_at,
    )


def _decided_payload(payload: dict, line: dict, verdict: Verdict, *, decision: Decision) -> dict:
    """DESIGN.md's `attribution.decided`: link, sharer, click and post only when credited."""
    tap = verdict.tap if verdict.reason == Reason.CREDITED else None
    return {
        "decision": decision.pk,
        "line": line["line"],
        "order": payload["order"],
        "buyer": payload["buyer"],
        "product": line["product"],
        "reason": str(verdict.reason),
        "net_amount": line["net_amount"],
        "link": tap.link if tap else None,
        "sharer": tap.sharer if tap else None,
        "click": tap.click if tap else None,
        "post": tap.post if tap else None,
    }


def on_user_signed_in(event: Event) -> None:
    """The visitor's unowned clicks become the signed-in user's (one UPDATE).

    The visitor id comes from a cookie the client holds, so only an id that carries our
    signature is merged: nobody can claim another visitor's taps by sending their id.
    """
    visitor = visitor_id_from_cookie(event.payload.get("visitor"))
    if visitor is None:
        return
    buffer.flush()
    Click.objects.filter(visitor_id=visitor, user__isnull=True).update(
        user_id=event.payload["user"]
    )
