"""The demo shop (a seed_demo step): three shops, their products with drawn pictures, and orders in
every state (paid, shipped, delivered, completed, partially refunded, refunded, cancelled).

Everything goes through the real services (catalog, cart, checkout, the sandbox gateway and its
webhook), so every rule of the shop holds for demo data too. Idempotent: shops are found by owner,
products by name within their shop, a buyer who already has orders gets no more, and the orders'
later life is played once (not when a demo order already left "paid").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from backend.accounts.models import User
from commerce.cart.services import cart_add, cart_get_or_create
from commerce.catalog import services as catalog
from commerce.checkout.services import checkout_place
from commerce.models import (
    SKU,
    Category,
    Merchant,
    Order,
    OrderStatus,
    Product,
    Refund,
    RefundStatus,
    SandboxOperation,
)
from commerce.orders.lifecycle import order_confirm_delivery, order_ship, orders_complete
from commerce.orders.services import order_cancel
from commerce.payments.providers import SandboxProvider
from commerce.payments.services import payment_authorize, payment_refund_submit
from commerce.payments.webhooks import webhook_receive
from commerce.refunds.services import LineAsk, refund_approve, refund_request
from commerce.seed_data import DEMO_ADDRESS, PURCHASES, SHOPS, DemoProduct, DemoShop
from commerce.seed_images import product_picture


def _today() -> datetime.date:
    return timezone.localdate(timezone=ZoneInfo(settings.BUSINESS_TIME_ZONE))


def _shop(spec: DemoShop, owner: User, log: Callable[[str], None]) -> Merchant:
    merchant = Merchant.objects.filter(owner=owner).order_by("pk").first()
    if merchant is not None:
        return merchant
    merchant = catalog.merchant_create(owner=owner, name=spec.name, description=spec.description)
    log(f"  shop {spec.name} opened by {owner.username}")
    return catalog.merchant_update(
        merchant=merchant,
        actor=owner,
        shipping_fee=spec.shipping_fee,
        free_shipping_threshold=spec.free_shipping_threshold,
    )


def _sku_inputs(spec: DemoProduct, today: datetime.date) -> list[catalog.SkuInput]:
    harvest = best_before = None
    if spec.fresh is not None:
        since_harvest, keeps_for = spec.fresh
        best_before = today + datetime.timedelta(days=keeps_for)
        # Bakes are "harvested" the day they are baked: only fruit and vegetables show it.
        if since_harvest:
            harvest = today - datetime.timedelta(days=since_harvest)
    return [
        catalog.SkuInput(
            name=sku.name,
            price=sku.price,
            stock=sku.stock,
            harvest_date=harvest,
            best_before=best_before,
        )
        for sku in spec.skus
    ]


def _products(
    merchant: Merchant, owner: User, specs: tuple[DemoProduct, ...], log: Callable[[str], None]
) -> int:
    existing = set(Product.objects.filter(merchant=merchant).values_list("name", flat=True))
    missing = [spec for spec in specs if spec.name not in existing]
    if not missing:
        return 0
    categories = Category.objects.in_bulk({spec.category for spec in missing}, field_name="slug")
    today = _today()
    for spec in missing:
        product = catalog.product_create(
            merchant=merchant,
            actor=owner,
            name=spec.name,
            description=spec.description,
            category=categories[spec.category],
            skus=_sku_inputs(spec, today),
            commission_rate_bp=spec.commission_rate_bp,
        )
        picture = product_picture(name=spec.name, shape=spec.shape, colour=spec.colour)
        catalog.product_image_add(
            product=product, actor=owner, upload=ContentFile(picture, name="demo.jpg")
        )
    log(f"  {len(missing)} products for {merchant.name}")
    return len(missing)


def _receive(operation: SandboxOperation) -> None:
    provider = SandboxProvider()
    raw_body, headers = provider.webhook_request(operation)
    webhook_receive(provider=provider.name, headers=headers, raw_body=raw_body)


def _buy(buyer: User, items: list[tuple[str, str, int]]) -> list[Order]:
    """The buyer's checkout as on the site: cart, checkout, Approve on the sandbox page, and the
    gateway's signed webhook received. The webhook is received here rather than left to the
    delivery task, which with a broker would wait for a worker; the task's own delivery, when it
    runs, is the same event id and changes nothing."""
    cart = cart_get_or_create(user=buyer)
    for product_name, sku_name, quantity in items:
        sku = SKU.objects.get(product__name=product_name, name=sku_name)
        cart_add(cart=cart, sku_id=sku.pk, quantity=quantity)
    placed = checkout_place(buyer=buyer, address={**DEMO_ADDRESS, "name": buyer.display_name})
    _receive(payment_authorize(payment=placed.payment, payer=buyer, approve=True))
    return placed.orders


def _purchases(log: Callable[[str], None]) -> None:
    buyers = User.objects.in_bulk([name for name, _ in PURCHASES], field_name="username")
    # A buyer with orders already bought their demo basket on an earlier run.
    done = set(Order.objects.filter(buyer__in=buyers.values()).values_list("buyer_id", flat=True))
    orders = [
        order
        for name, items in PURCHASES
        if buyers[name].pk not in done
        for order in _buy(buyers[name], items)
    ]
    if orders:
        log(f"  {len(orders)} paid orders")


def _ship(order: Order) -> Order:
    return order_ship(
        order=order,
        actor=order.merchant.owner,
        carrier="SF Express",
        tracking_number=f"SF{order.pk:010d}",
    )


def _deliver(order: Order) -> Order:
    return order_confirm_delivery(order=_ship(order), actor=order.buyer)


def _complete(order: Order) -> Order:
    order = _deliver(order)
    # The demo's parcel arrived long enough ago for its return window to be over, so the daily
    # completion job (run here as it runs in production) finds it due.
    past = timezone.now() - datetime.timedelta(days=settings.RETURN_WINDOW_DAYS, hours=1)
    Order.objects.filter(pk=order.pk).update(delivered_at=past)
    orders_complete()
    return order


def _refund(order: Order, units: dict[int, int], reason: str) -> Refund:
    """The buyer asks, the shop approves and the sandbox's refund webhook is received here
    (as `_buy` receives the payment's), so the refund settles without a worker."""
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
    return refund


def _refund_one_unit(order: Order) -> Order:
    order = _ship(order)
    line = order.lines.filter(quantity__gte=2).order_by("pk").first()
    _refund(order, {line.pk: 1}, "One punnet arrived squashed.")
    return order


def _refund_all(order: Order) -> Order:
    units = {line.pk: line.quantity for line in order.lines.order_by("pk")}
    _refund(order, units, "Ordered twice by mistake.")
    return order


def _cancelled(buyer: User) -> Order:
    sku = (
        SKU.objects.filter(active=True, product__active=True, on_hand__gt=F("reserved"))
        .order_by("pk")
        .first()
    )
    cart = cart_get_or_create(user=buyer)
    cart_add(cart=cart, sku_id=sku.pk, quantity=1)
    placed = checkout_place(buyer=buyer, address={**DEMO_ADDRESS, "name": buyer.display_name})
    [order] = placed.orders
    return order_cancel(order=order, actor=buyer, reason="Changed my mind before paying.")


# What becomes of the paid demo orders, oldest first; the rest stay paid, waiting to ship.
LIFE = (_complete, _deliver, _ship, _refund_all)


def _life(buyers: list[User], log: Callable[[str], None]) -> None:
    demo_orders = Order.objects.filter(buyer__in=buyers)
    if (
        demo_orders.exclude(status=OrderStatus.PAID).exists()
        or Refund.objects.filter(order__in=demo_orders, status=RefundStatus.REFUNDED).exists()
    ):
        return
    paid = list(demo_orders.filter(status=OrderStatus.PAID).order_by("pk"))
    # A partial refund needs a line of two units or more: that order is set aside first.
    partial = next((o for o in paid if o.lines.filter(quantity__gte=2).exists()), None)
    if partial is not None:
        paid.remove(partial)
        _refund_one_unit(partial)
    for move, order in zip(LIFE, paid, strict=False):
        move(order)
    _cancelled(buyers[0])
    log("  orders shipped, delivered, completed, refunded (partly and wholly) and cancelled")


def seed_shop(*, log: Callable[[str], None]) -> None:
    owners = User.objects.in_bulk([spec.owner for spec in SHOPS], field_name="username")
    for spec in SHOPS:
        owner = owners[spec.owner]
        merchant = _shop(spec, owner, log)
        _products(merchant, owner, spec.products, log)
    _purchases(log)
    buyers = User.objects.in_bulk([name for name, _ in PURCHASES], field_name="username")
    _life([buyers[name] for name, _ in PURCHASES], log)
