"""The ledger postings of the shop: a paid order and its settled refunds."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backend.ledger.models import AccountKind, Entry, Transaction
from backend.ledger.selectors import account_get
from commerce.ledger_postings import order_paid_post, platform_fee, refund_post
from commerce.models import Order, Refund, RefundStatus
from commerce.payments.services import payment_capture
from tests.commerce.buying import buy
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory, SKUFactory

pytestmark = pytest.mark.django_db


def _balance(kind: str, owner_id: int | None = None) -> int:
    account = account_get(kind=kind, owner_id=owner_id)
    return 0 if account is None else account.balance


def _paid_order(django_capture_on_commit_callbacks, *, price: int, quantity: int, shipping=0):
    merchant = MerchantFactory(shipping_fee=shipping)
    sku = SKUFactory(product__merchant=merchant, price=price, on_hand=quantity)
    result = buy(UserFactory(), (sku, quantity))
    with django_capture_on_commit_callbacks(execute=True):
        payment_capture(payment_id=result.payment.pk, amount=result.payment.amount)
    return Order.objects.get(pk=result.orders[0].pk)


def _settled_refund(order: Order, *, amount: int, shipping: int = 0) -> Refund:
    return Refund.objects.create(
        order=order,
        buyer=order.buyer,
        status=RefundStatus.REFUNDED,
        reason="Bruised.",
        amount=amount,
        shipping_amount=shipping,
        refunded_at=timezone.now(),
    )


def test_paid_order_owes_the_shop_total_less_fee(django_capture_on_commit_callbacks, settings):
    """order.paid posts clearing −total, the shop's payable +(total − fee), revenue +fee."""
    settings.PLATFORM_FEE_BP = 200
    order = _paid_order(django_capture_on_commit_callbacks, price=3333, quantity=3, shipping=800)

    posted = Transaction.objects.get(idempotency_key=f"order-paid:{order.pk}")

    assert order.total == 9999 + 800
    fee = 199  # ⌊9999 × 2 %⌋: shipping carries no fee
    amounts = {
        entry.account.kind: entry.amount for entry in posted.entries.select_related("account")
    }
    assert amounts == {
        AccountKind.GATEWAY_CLEARING: -order.total,
        AccountKind.MERCHANT_PAYABLE: order.total - fee,
        AccountKind.PLATFORM_REVENUE: fee,
    }
    assert _balance(AccountKind.MERCHANT_PAYABLE, order.merchant_id) == 9999 + 800 - fee


def test_paid_posting_is_made_once(django_capture_on_commit_callbacks):
    """Posting the same paid order again moves no more money."""
    order = _paid_order(django_capture_on_commit_callbacks, price=1250, quantity=2)

    order_paid_post(order=order)

    assert Transaction.objects.filter(idempotency_key=f"order-paid:{order.pk}").count() == 1
    assert _balance(AccountKind.MERCHANT_PAYABLE, order.merchant_id) == 2500 - platform_fee(2500)


def test_fee_below_one_unit_leaves_revenue_out(django_capture_on_commit_callbacks):
    """Goods too small for a fee post two legs, no zero entry."""
    order = _paid_order(django_capture_on_commit_callbacks, price=49, quantity=1)

    posted = Transaction.objects.get(idempotency_key=f"order-paid:{order.pk}")

    assert sorted(posted.entries.values_list("amount", flat=True)) == [-49, 49]


def test_partial_refunds_keep_the_fee_on_kept_goods_exactly(django_capture_on_commit_callbacks):
    """Two one-unit refunds of 3 reverse 66 then 67 of the 199 fee: revenue = fee(3333)."""
    order = _paid_order(django_capture_on_commit_callbacks, price=3333, quantity=3)
    first = _settled_refund(order, amount=3333)
    refund_post(refund=first)
    assert _balance(AccountKind.PLATFORM_REVENUE) == platform_fee(6666)

    second = _settled_refund(order, amount=3333)
    refund_post(refund=second)

    assert _balance(AccountKind.PLATFORM_REVENUE) == platform_fee(3333) == 66
    assert _balance(AccountKind.MERCHANT_PAYABLE, order.merchant_id) == 3333 - 66
    assert _balance(AccountKind.GATEWAY_CLEARING) == -3333


def test_whole_refund_before_shipping_returns_everything(django_capture_on_commit_callbacks):
    """Goods and shipping refunded whole: the shop, the platform and the gateway are back to 0."""
    order = _paid_order(django_capture_on_commit_callbacks, price=1999, quantity=2, shipping=600)

    refund_post(refund=_settled_refund(order, amount=3998, shipping=600))

    assert _balance(AccountKind.MERCHANT_PAYABLE, order.merchant_id) == 0
    assert _balance(AccountKind.PLATFORM_REVENUE) == 0
    assert _balance(AccountKind.GATEWAY_CLEARING) == 0


def test_refund_posting_is_made_once(django_capture_on_commit_callbacks):
    """A settled refund posted twice reverses once."""
    order = _paid_order(django_capture_on_commit_callbacks, price=1000, quantity=2)
    refund = _settled_refund(order, amount=1000)

    refund_post(refund=refund)
    refund_post(refund=refund)

    assert Transaction.objects.filter(idempotency_key=f"refund:{refund.pk}").count() == 1
    assert _balance(AccountKind.MERCHANT_PAYABLE, order.merchant_id) == 1000 - platform_fee(1000)


def test_every_posting_sums_to_zero(django_capture_on_commit_callbacks):
    """Each transaction of the shop's money balances."""
    order = _paid_order(django_capture_on_commit_callbacks, price=777, quantity=3, shipping=500)
    refund_post(refund=_settled_refund(order, amount=259))

    for posted in Transaction.objects.all():
        assert sum(Entry.objects.filter(transaction=posted).values_list("amount", flat=True)) == 0
