"""The shop's money in the ledger: what a paid order and a settled refund move.

On `order.paid` the gateway holds the order's total for us, and the platform owes the shop the
goods plus shipping less its fee; the fee is the platform's revenue. On `order.refunded` the
refunded part moves back the same way. The fee is kept on the goods the buyer keeps, exactly:
a refund reverses fee(goods paid before it) − fee(goods still paid after it), so however many
partial refunds an order sees, the reversals telescope to fee(goods) − fee(kept goods).

Both handlers are idempotent twice over: the event dispatcher runs each once per event, and the
postings carry idempotency keys ("order-paid:<order>", "refund:<refund>") so a replay posts
nothing more.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum

from backend.events.models import Event
from backend.ledger.models import AccountKind, Transaction
from backend.ledger.services import account_get_or_create, transaction_post
from backend.money import apply_rate_bp
from commerce.models import Order, Refund, RefundStatus


def platform_fee(goods: int) -> int:
    """The platform's fee on `goods` minor units of goods (shipping carries no fee)."""
    return apply_rate_bp(goods, settings.PLATFORM_FEE_BP)


def order_goods(order: Order) -> int:
    """The goods of the order as paid: Σ line net = subtotal − discount."""
    return order.subtotal - order.discount


def _post(
    *, key: str, order: Order, clearing: int, payable: int, revenue: int, text: str
) -> Transaction | None:
    """One balanced posting over the three accounts; legs that would be zero are left out."""
    merchant_id = order.merchant_id
    legs = [
        (account_get_or_create(kind=AccountKind.GATEWAY_CLEARING), clearing),
        (account_get_or_create(kind=AccountKind.MERCHANT_PAYABLE, owner_id=merchant_id), payable),
        (account_get_or_create(kind=AccountKind.PLATFORM_REVENUE), revenue),
    ]
    legs = [(account, amount) for account, amount in legs if amount]
    if not legs:
        return None
    return transaction_post(
        idempotency_key=key, entries=legs, description=text, reference=f"order:{order.pk}"
    )


@transaction.atomic
def order_paid_post(*, order: Order) -> Transaction | None:
    """Post a paid order: clearing −total, the shop's payable +(total − fee), revenue +fee."""
    fee = platform_fee(order_goods(order))
    return _post(
        key=f"order-paid:{order.pk}",
        order=order,
        clearing=-order.total,
        payable=order.total - fee,
        revenue=fee,
        text=f"Order {order.pk} paid",
    )


def _goods_refunded_before(refund: Refund) -> int:
    """Goods of the order's refunds settled before `refund` (by settlement time, then id).

    Refunds of one order settle under its row lock, so this order is the order the postings
    are made in and each refund's fee reversal starts where the previous one stopped.
    """
    earlier = Refund.objects.filter(order_id=refund.order_id, status=RefundStatus.REFUNDED).filter(
        Q(refunded_at__lt=refund.refunded_at) | Q(refunded_at=refund.refunded_at, pk__lt=refund.pk)
    )
    return earlier.aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def refund_post(*, refund: Refund) -> Transaction | None:
    """Post a settled refund: the reverse of the paid posting for the refunded part."""
    order = refund.order
    goods = order_goods(order)
    paid_before = goods - _goods_refunded_before(refund)
    paid_after = paid_before - refund.amount
    fee_reversed = platform_fee(paid_before) - platform_fee(paid_after)
    back = refund.amount + refund.shipping_amount
    return _post(
        key=f"refund:{refund.pk}",
        order=order,
        clearing=back,
        payable=-(back - fee_reversed),
        revenue=-fee_reversed,
        text=f"Refund {refund.pk} of order {order.pk}",
    )


def on_order_paid(event: Event) -> None:
    order = Order.objects.get(pk=event.payload["order"])
    order_paid_post(order=order)


def on_order_refunded(event: Event) -> None:
    refund = Refund.objects.select_related("order").get(pk=event.payload["refund"])
    refund_post(refund=refund)
