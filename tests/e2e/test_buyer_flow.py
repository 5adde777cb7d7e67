"""A buyer browses a category, picks a SKU, checks out, approves on the sandbox and sees it paid."""

import pytest
from playwright.sync_api import expect

from commerce.models import SKU, Order, OrderStatus
from tests.factories import UserFactory
from tests.factories_commerce import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    SKUFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_buyer_buys_and_pays(live_server, mobile, sign_in, screenshots_dir, settings):
    """Category → product → SKU → cart → checkout → sandbox approval → order paid."""
    # The sandbox's hosted page is addressed absolutely, like a real gateway's.
    settings.SITE_URL = live_server.url
    category = CategoryFactory(name="Sunny citrus", slug="e2e-sunny-citrus")
    shop = MerchantFactory(name="Hillside Grove", shipping_fee=800)
    product = ProductFactory(name="Blood oranges", merchant=shop, category=category)
    ProductImageFactory(product=product)
    SKUFactory(product=product, name="1 kg bag", price=1800, on_hand=20)
    big = SKUFactory(product=product, name="3 kg box", price=4550, on_hand=5)
    buyer = UserFactory(username="hungry")
    page = mobile
    sign_in(page.context, buyer)

    page.goto(f"{live_server.url}/products/?category={category.slug}")
    page.get_by_role("link", name="Blood oranges").first.click()
    expect(page.get_by_role("heading", name="Blood oranges")).to_be_visible()
    page.locator(".sku-option", has_text="3 kg box").click()
    page.get_by_role("button", name="Add to cart").click()

    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    expect(page.get_by_text("3 kg box")).to_be_visible()
    expect(page.locator("[data-cart-total]")).to_have_text("¥53.50")
    page.screenshot(path=screenshots_dir / "cart.png", full_page=True)
    page.get_by_role("link", name="Check out").click()

    page.get_by_label("Full name").fill("Li Mei")
    page.get_by_label("Phone").fill("+86 138 0000 0000")
    page.get_by_label("Address").fill("12 Orchard Road")
    page.get_by_label("City").fill("Hangzhou")
    page.get_by_label("Postal code").fill("310000")
    page.screenshot(path=screenshots_dir / "checkout.png", full_page=True)
    page.get_by_role("button", name="Place order and pay").click()

    expect(page.get_by_test_id("pay-amount")).to_have_text("¥53.50")
    page.get_by_role("button", name="Approve payment").click()
    expect(page.locator(".pay-status[data-status='succeeded']")).to_be_visible(timeout=15000)

    order = Order.objects.get(buyer=buyer)
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    expect(page.locator("[data-order-status]")).to_have_attribute("data-order-status", "paid")
    expect(page.get_by_role("link", name="Pay now")).to_have_count(0)
    page.screenshot(path=screenshots_dir / "order-paid.png", full_page=True)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    assert SKU.objects.get(pk=big.pk).reserved == 1
