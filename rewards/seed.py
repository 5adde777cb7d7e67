"""Demo earnings (seed_demo steps): months of the demo sharer's history in every state.

Money only moves through the real paths, so the ledger and the earnings page agree as they do
for real: friends tap the demo's links (`clicks.record`, like `/s/<code>`) and buy through the
shop's services; attribution and accrual follow `order.paid`, confirmation `order.completed`.
Events are delivered after their step's transaction commits, hence three steps in order:
1. `seed_purchases`: strangers' taps and friends' purchases through the demo's links;
2. `seed_outcomes`: the history spread over the last months (the recording paths only know
   "now", so times are moved back), then older orders delivered and completed, some refunded
   in part or in full, the latest still pending;
3. `seed_payouts`: the payee, a paid payout, a rejected one and one still in payout.
Each step does nothing once the demo sharer has a payee (the last step's mark): run twice, the
command changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Sum
from django.test import RequestFactory
from django.utils import timezone

from backend.accounts.models import User
from backend.ledger.models import AccountKind
from backend.ledger.selectors import owner_balances
from commerce.cart.services import cart_add, cart_get_or_create
from commerce.catalog import selectors as catalog
from commerce.checkout.services import checkout_place
from commerce.models import Order, OrderStatus, SandboxOperation
from commerce.orders.lifecycle import order_confirm_delivery, order_ship, orders_complete
from commerce.payments.providers import SandboxProvider
from commerce.payments.services import payment_authorize, payment_refund_submit
from commerce.payments.webhooks import webhook_receive
from commerce.refunds.services import LineAsk, refund_approve, refund_request
from commerce.seed_data import DEMO_ADDRESS
from rewards import payouts
from rewards.models import Commission, CommissionStatus, Payout
from shoplinks import clicks, lookup
from shoplinks.clicks import buffer
from shoplinks.models import Click, Decision, ShareLink

SHARER = "demo"
FRIENDS = (
    "sophie_k",
    "tom_dumpling",
    "chen_eats",
    "xiaoyu",
    "lucy_smoothie",
    "ben_market",
    "grace_tea",
    "wang_laoshi",
    "mei_bakes",
    "ahmad_grill",
)
PURCHASES = 30
STRANGER_TAPS = 420
# How far back the history goes, and the most recent days left pending (return window open).
HISTORY_DAYS = 150
RECENT = 5
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
OPERATOR = "demo_ops"


def _sharer() -> User | None:
    sharer = User.objects.filter(username=SHARER).first()
    if sharer is None or payouts.payee_get(user=sharer) is not None:
        return None
    return sharer


def _tap(link: ShareLink, user: User | None, *, ip: str) -> None:
    request = RequestFactory().get(
        f"/s/{link.code}", HTTP_USER_AGENT=PHONE, HTTP_SEC_FETCH_DEST="document", REMOTE_ADDR=ip
    )
    request.user = user or AnonymousUser()
    clicks.record(request, lookup.link_info(link.code))


def _receive(operation: SandboxOperation) -> None:
    """The sandbox's signed webhook for `operation`, received here rather than left to the
    delivery task (the same event id: a later delivery changes nothing)."""
    provider = SandboxProvider()
    raw_body, headers = provider.webhook_request(operation)
    webhook_receive(provider=provider.name, headers=headers, raw_body=raw_body)


def _buy(buyer: User, link: ShareLink, quantity: int) -> bool:
    product = catalog.product_for_public(link.product_id)
    sku = next((sku for sku in product.active_skus if sku.available >= quantity), None)
    if sku is None:
        return False
    cart_add(cart=cart_get_or_create(user=buyer), sku_id=sku.pk, quantity=quantity)
    placed = checkout_place(buyer=buyer, address={**DEMO_ADDRESS, "name": buyer.display_name})
    _receive(payment_authorize(payment=placed.payment, payer=buyer, approve=True))
    return True


def seed_purchases(*, log: Callable[[str], None]) -> None:
    sharer = _sharer()
    if sharer is None or Commission.objects.filter(sharer=sharer).count() >= PURCHASES:
        return
    started = time.monotonic()
    links = list(ShareLink.objects.filter(sharer=sharer).order_by("pk"))
    friends = list(User.objects.filter(username__in=FRIENDS).order_by("username"))
    if not links or not friends:
        log("  no demo links or friends: run the shoplinks step first")
        return
    for n in range(STRANGER_TAPS):
        _tap(links[n % len(links)], None, ip=f"203.0.{113 + n // 250}.{n % 250 + 1}")
    # Round after round every link sells, each time to another friend: no friend buys twice
    # through one link (a second purchase would ride on the first one's tap).
    pairs = [
        (friends[(index + round_) % len(friends)], link)
        for round_ in range(len(friends))
        for index, link in enumerate(links)
    ]
    bought = 0
    for n, (buyer, link) in enumerate(pairs[:PURCHASES]):
        _tap(link, buyer, ip=f"198.51.100.{n + 1}")
        buffer.flush()
        bought += _buy(buyer, link, quantity=1 + (n % 3 == 0))
    buffer.flush()
    took = time.monotonic() - started
    log(f"  {STRANGER_TAPS} taps and {bought} purchases through the demo's links in {took:.1f} s")


def _back_in_time(sharer: User, links: list[ShareLink]) -> list[Commission]:
    """Spread the demo's commissions (with their order, decision and winning tap) and the
    strangers' taps over HISTORY_DAYS, oldest first, keeping the last RECENT within days."""
    now = timezone.now()
    rows = list(Commission.objects.filter(sharer=sharer).order_by("pk"))
    older = max(len(rows) - RECENT, 1)
    for index, commission in enumerate(rows):
        if index < len(rows) - RECENT:
            age = timedelta(days=HISTORY_DAYS * (older - index) / older + 8)
        else:
            age = timedelta(hours=10 + 20 * (len(rows) - index))
        when = now - age
        lead = timedelta(hours=1 + index % 30, minutes=7 * index % 60)
        Commission.objects.filter(pk=commission.pk).update(created_at=when)
        Decision.objects.filter(pk=commission.decision_id).update(
            placed_at=when - timedelta(minutes=1), decided_at=when
        )
        Click.objects.filter(pk=commission.click_id).update(clicked_at=when - lead)
        Order.objects.filter(pk=commission.order_id).update(
            created_at=when - timedelta(minutes=1), paid_at=when
        )
    strangers = Click.objects.filter(link__in=links, user__isnull=True).order_by("pk")
    ids = list(strangers.values_list("pk", flat=True))
    for index, pk in enumerate(ids):
        # More taps lately than long ago: sharing picks up as the demo posts more.
        spread = ((len(ids) - index) / len(ids)) ** 1.6 * HISTORY_DAYS
        hours = (index * 7) % 24
        Click.objects.filter(pk=pk).update(clicked_at=now - timedelta(days=spread, hours=hours))
    return [Commission.objects.get(pk=row.pk) for row in rows]


def _ship(order: Order) -> Order:
    return order_ship(
        order=order,
        actor=order.merchant.owner,
        carrier="SF Express",
        tracking_number=f"SF{order.pk:010d}",
    )


def _refund(order: Order, units: dict[int, int], reason: str) -> None:
    """The buyer asks, the shop approves, the sandbox's refund webhook is received here."""
    refund = refund_request(
        order=order,
        buyer=order.buyer,
        lines=[LineAsk(line_id=line, quantity=quantity) for line, quantity in units.items()],
        reason=reason,
    )
    refund = refund_approve(refund=refund, actor=order.merchant.owner)
    if refund.payment_refund_id is not None:
        payment_refund_submit(refund_id=refund.payment_refund_id)
        _receive(
            SandboxOperation.objects.get(
                kind=SandboxOperation.Kind.REFUND,
                subject_id=refund.payment_refund_id,
                outcome=SandboxOperation.Outcome.SUCCEEDED,
            )
        )


def _deliver(order: Order, *, long_ago: bool) -> None:
    order = order_confirm_delivery(order=_ship(order), actor=order.buyer)
    if long_ago:
        # Delivered long enough ago for the return window to be over: completion finds it due.
        past = timezone.now() - timedelta(days=settings.RETURN_WINDOW_DAYS, hours=1)
        Order.objects.filter(pk=order.pk).update(delivered_at=past)


def seed_outcomes(*, log: Callable[[str], None]) -> None:
    sharer = _sharer()
    if sharer is None:
        return
    # Already spread over the months by an earlier run.
    early = timezone.now() - timedelta(days=RECENT + 3)
    if Commission.objects.filter(sharer=sharer, created_at__lt=early).exists():
        return
    links = list(ShareLink.objects.filter(sharer=sharer))
    commissions = _back_in_time(sharer, links)
    orders = Order.objects.in_bulk([row.order_id for row in commissions])
    older, recent = commissions[:-RECENT], commissions[-RECENT:]
    partial = next((row for row in older if orders[row.order_id].lines.get().quantity > 1), None)
    for index, row in enumerate(older):
        order = orders[row.order_id]
        if order.status != OrderStatus.PAID:
            continue
        if index % 9 == 4:
            units = {line.pk: line.quantity for line in order.lines.all()}
            _refund(order, units, "Arrived too late for the party, sent it back.")
            continue
        if row is partial:
            # Shipped, one unit of two sent back: the commission is halved and stays pending.
            line = order.lines.get()
            _refund(_ship(order), {line.pk: 1}, "One box was crushed in the parcel.")
            continue
        _deliver(order, long_ago=True)
    for index, row in enumerate(recent):
        order = orders[row.order_id]
        if order.status == OrderStatus.PAID and index % 3 == 1:
            _ship(order)
        elif order.status == OrderStatus.PAID and index % 3 == 2:
            _deliver(order, long_ago=False)
    completed = orders_complete()
    log(f"  demo history over {HISTORY_DAYS} days; {completed} orders completed")


def _operator() -> User:
    operator, created = User.objects.get_or_create(
        username=OPERATOR, defaults={"display_name": "Demo operator", "is_staff": True}
    )
    if created:
        operator.set_unusable_password()
        operator.save(update_fields=["password"])
    return operator


def _available(sharer: User) -> int:
    kind = AccountKind.SHARER_AVAILABLE
    return owner_balances(owner_id=sharer.pk, kinds=[kind])[kind]


def seed_payouts(*, log: Callable[[str], None]) -> None:
    sharer = _sharer()
    if sharer is None:
        return
    now = timezone.now()
    confirmed = Commission.objects.filter(sharer=sharer, status=CommissionStatus.CONFIRMED)
    for commission in confirmed:
        Commission.objects.filter(pk=commission.pk).update(
            confirmed_at=commission.created_at + timedelta(days=settings.RETURN_WINDOW_DAYS + 3)
        )
    payouts.payee_set(user=sharer, method="alipay", account="demo@example.com", real_name="Demo")
    operator = _operator()
    minimum = payouts.payout_minimum()
    # (share of what is available, days ago, what becomes of it)
    plan = ((0.6, 45, "paid"), (0.25, 20, "rejected"), (0.5, 2, "requested"))
    made = []
    for share, days_ago, outcome in plan:
        amount = max(int(_available(sharer) * share) // 100 * 100, minimum)
        if amount > _available(sharer):
            break
        payout = payouts.payout_request(user=sharer, amount=amount)
        if outcome == "paid":
            payouts.payout_approve(payout=payout, operator=operator)
            _receive(
                SandboxOperation.objects.get(
                    kind=SandboxOperation.Kind.PAYOUT, subject_id=payout.pk
                )
            )
        elif outcome == "rejected":
            payouts.payout_reject(
                payout=payout,
                operator=operator,
                reason="The name did not match the Alipay account; check it and ask again.",
            )
        asked = now - timedelta(days=days_ago)
        Payout.objects.filter(pk=payout.pk).update(
            requested_at=asked,
            decided_at=None if outcome == "requested" else asked + timedelta(hours=5),
            paid_at=asked + timedelta(hours=6) if outcome == "paid" else None,
        )
        made.append(outcome)
    paid = Commission.objects.filter(sharer=sharer, status=CommissionStatus.PAID)
    paid.update(paid_at=now - timedelta(days=45))
    total = paid.aggregate(total=Sum("amount"))["total"] or 0
    log(f"  payouts: {', '.join(made) or 'none'}; {paid.count()} commissions paid ({total})")
