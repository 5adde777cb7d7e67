"""A merchant opens a shop and lists a product with two SKUs, all through the console pages."""

import pytest
from playwright.sync_api import expect

from commerce.models import Category, Product
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_merchant_opens_shop_and_creates_product(live_server, mobile, sign_in, screenshots_dir):
    """Open a shop, create a product with two options, then see both on the product page."""
    page = mobile
    # Made here: the seeded tree is flushed away by earlier live-server tests.
    stone_fruit, _ = Category.objects.get_or_create(
        slug="stone-fruit", defaults={"name": "Stone fruit"}
    )
    sign_in(page.context, UserFactory(username="grower"))

    page.goto(f"{live_server.url}/console/")
    page.get_by_label("Shop name").fill("Sunny Orchard")
    page.get_by_role("button", name="Open my shop").click()
    expect(page.get_by_role("heading", name="Sunny Orchard")).to_be_visible()

    page.get_by_role("link", name="New product").click()
    page.get_by_label("Name", exact=True).fill("Flat peaches")
    page.get_by_label("Description").fill("Sweet white flat peaches, picked ripe.")
    page.get_by_label("Category").select_option(str(stone_fruit.pk))
    first, second = page.locator("[data-sku-row]").all()
    first.get_by_label("Option").fill("1 kg")
    first.get_by_label("Price").fill("18.00")
    first.get_by_label("Stock").fill("30")
    second.get_by_label("Option").fill("3 kg box")
    second.get_by_label("Price").fill("45.50")
    second.get_by_label("Stock").fill("8")
    page.get_by_role("button", name="Add another option").click()
    expect(page.locator("[data-sku-row]")).to_have_count(3)
    page.screenshot(path=screenshots_dir / "console-product-create.png", full_page=True)
    page.get_by_role("button", name="Put on sale").click()

    expect(page.get_by_text("Flat peaches is on sale.")).to_be_visible()
    product = Product.objects.get(name="Flat peaches")
    assert product.skus.count() == 2

    page.get_by_role("link", name="View", exact=True).click()
    expect(page.get_by_role("heading", name="Flat peaches")).to_be_visible()
    expect(page.locator(".sku-option")).to_have_count(2)
    expect(page.get_by_text("3 kg box")).to_be_visible()
    expect(page.get_by_text("¥45.50").first).to_be_visible()
    page.screenshot(path=screenshots_dir / "product-page.png", full_page=True)

    page.get_by_role("link", name="Shop", exact=True).click()
    expect(page.locator(".product-card")).to_have_count(1)
    page.screenshot(path=screenshots_dir / "product-list.png", full_page=True)
