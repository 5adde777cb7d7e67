"""Refund steps shared by the refund tests, made through the real services."""

from commerce.models import Order, Refund
from commerce.payments.services import payment_capture, payment_refund_settle
from commerce.refunds.services import LineAsk, refund_approve, refund_request
from tests.commerce.buying import buy


def paid_order(buyer, *items) -> Order:
    result = buy(buyer, *items)
    payment_capture(payment_id=result.payment.pk, amount=result.payment.amount)
    [order] = result.orders
    return Order.objects.get(pk=order.pk)


def settle(refund: Refund) -> None:
    """The provider's refund.succeeded, as the webhook handler applies it."""
    refund.refresh_from_db()
    pr = refund.payment_refund
    assert payment_refund_settle(refund_id=pr.pk, amount=pr.amount, payment_id=None)


def ask(order: Order, *quantities: int, buyer=None) -> Refund:
    lines = list(order.lines.order_by("pk"))
    return refund_request(
        order=order,
        buyer=buyer or order.buyer,
        lines=[
            LineAsk(line_id=line.pk, quantity=q)
            for line, q in zip(lines, quantities, strict=True)
            if q
        ],
        reason="Damaged in transit",
    )


def refund_fully(refund: Refund) -> Refund:
    refund_approve(refund=refund, actor=refund.order.merchant.owner)
    settle(refund)
    refund.refresh_from_db()
    return refund
