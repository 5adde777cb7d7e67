"""Checkout: the cart becomes one order per shop and one payment for all, in one transaction."""

from dataclasses import dataclass
from itertools import groupby

from django.db import transaction

from backend.accounts.models import User
from backend.events.services import publish
from backend.money import currency
from commerce.cart.selectors import cart_lines_of_user, line_for_sale
from commerce.checkout.address import address_clean
from commerce.checkout.calculations import order_amounts
from commerce.checkout.stock import stock_reserve
from commerce.errors import CartEmpty, InvalidCoupon, NotForSale
from commerce.models import CartLine, Order, OrderEvent, OrderLine, OrderStatus, Payment
from commerce.payments.services import payment_create


@dataclass(frozen=True)
class CheckoutResult:
    payment: Payment
    orders: list[Order]


def _order_lines(order: Order, lines: list[CartLine]) -> list[OrderLine]:
    amounts = order_amounts(order.merchant, [(line.sku.price, line.quantity) for line in lines])
    order.subtotal, order.discount = amounts.subtotal, amounts.discount
    order.shipping, order.total = amounts.shipping, amounts.total
    return [
        OrderLine(
            order=order,
            product=line.sku.product,
            sku=line.sku,
            category=line.sku.product.category,
            merchant=order.merchant,
            product_name=line.sku.product.name,
            sku_name=line.sku.name,
            category_name=line.sku.product.category.name,
            merchant_name=order.merchant.name,
            unit_price=line.sku.price,
            quantity=line.quantity,
            discount=line_amounts.discount,
            net_amount=line_amounts.net,
        )
        for line, line_amounts in zip(lines, amounts.lines, strict=True)
    ]


@transaction.atomic
def checkout_place(*, buyer: User, address: object, coupon_code: str = "") -> CheckoutResult:
    """Place the buyer's cart: reserve stock, create the orders and their payment, empty the cart.

    All or nothing: InvalidAddress, InvalidCoupon, CartEmpty, NotForSale or InsufficientStock
    leave the cart, the stock and everything else as they were. The cart's lines are locked
    first, so a double submit waits and then finds the cart empty. Publishes `order.placed` per
    order.
    """
    clean_address = address_clean(address)
    if coupon_code:
        # No shop offers coupons yet, so every code is unknown.
        raise InvalidCoupon(
            f"The coupon code “{coupon_code[:40]}” is not valid.",
            fields={"coupon_code": "Unknown coupon code."},
        )
    lines = cart_lines_of_user(buyer, for_update=True)
    if not lines:
        raise CartEmpty()
    unavailable = [line for line in lines if not line_for_sale(line)]
    if unavailable:
        names = ", ".join(sorted({line.sku.product.name for line in unavailable}))
        raise NotForSale(
            f"No longer for sale: {names}. Remove it from your cart to check out.",
            fields={"lines": [line.pk for line in unavailable]},
        )
    stock_reserve(items=[(line.sku_id, line.quantity) for line in lines])

    def shop_of(line: CartLine) -> int:
        return line.sku.product.merchant_id

    orders: list[Order] = []
    order_lines: list[OrderLine] = []
    for _, shop_lines in groupby(sorted(lines, key=shop_of), key=shop_of):
        shop_lines = list(shop_lines)
        order = Order(
            buyer=buyer,
            merchant=shop_lines[0].sku.product.merchant,
            status=OrderStatus.PENDING_PAYMENT,
            currency=currency(),
            address=clean_address,
        )
        order_lines += _order_lines(order, shop_lines)
        orders.append(order)
    payment = payment_create(
        buyer=buyer, amount=sum(order.total for order in orders), orders=orders
    )
    for order in orders:
        order.payment = payment
    Order.objects.bulk_create(orders)
    for line in order_lines:
        line.order_id = line.order.pk
    OrderLine.objects.bulk_create(order_lines)
    OrderEvent.objects.bulk_create(
        OrderEvent(order=order, to_status=OrderStatus.PENDING_PAYMENT, actor=buyer)
        for order in orders
    )
    CartLine.objects.filter(pk__in=[line.pk for line in lines]).delete()
    for order in orders:
        publish("order.placed", {"order": order.pk, "buyer": buyer.pk})
    return CheckoutResult(payment=payment, orders=orders)
