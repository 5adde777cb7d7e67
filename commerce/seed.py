"""The demo shop (a seed_demo step): three shops, their products with drawn pictures, paid orders.

Everything goes through the real services (catalog, cart, checkout, the sandbox gateway and its
webhook), so every rule of the shop holds for demo data too. Idempotent: shops are found by owner,
products by name within their shop, and a buyer who already has orders gets no more.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from backend.accounts.models import User
from commerce.cart.services import cart_add, cart_get_or_create
from commerce.catalog import services as catalog
from commerce.checkout.services import checkout_place
from commerce.models import SKU, Category, Merchant, Order, Product
from commerce.payments.providers import SandboxProvider
from commerce.payments.services import payment_authorize
from commerce.payments.webhooks import webhook_receive
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
    operation = payment_authorize(payment=placed.payment, payer=buyer, approve=True)
    provider = SandboxProvider()
    raw_body, headers = provider.webhook_request(operation)
    webhook_receive(provider=provider.name, headers=headers, raw_body=raw_body)
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


def seed_shop(*, log: Callable[[str], None]) -> None:
    owners = User.objects.in_bulk([spec.owner for spec in SHOPS], field_name="username")
    for spec in SHOPS:
        owner = owners[spec.owner]
        merchant = _shop(spec, owner, log)
        _products(merchant, owner, spec.products, log)
    _purchases(log)
