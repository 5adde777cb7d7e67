"""A friend opens a sharer's link in a fresh browser, signs up, buys and pays; the sharer's
links page then shows the order and the decision "Credited"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from commerce.models import Order, OrderStatus
from shoplinks.models import Decision, Reason
from shoplinks.services import link_get_or_create
from tests.factories import UserFactory
from tests.factories_commerce import (
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    SKUFactory,
)
from tests.factories_posts import PostFactory, ProductTagFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Headless Chromium names itself "HeadlessChrome", which the tap flags as a bot (rightly: that
# is how scrapers look); the friend here is a person on a phone.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    ),
}


def test_a_friend_taps_signs_up_buys_and_the_sharer_is_credited(
    live_server, new_context, sign_in, screenshots_dir, settings
):
    """Tap /s/<code> (no account yet) → product page → sign up on the page → add to cart →
    checkout → approve on the sandbox page; the sharer, signed in elsewhere, sees one order and
    "Credited" on /me/links/."""
    settings.SITE_URL = live_server.url
    shop = MerchantFactory(name="Hillside Grove", shipping_fee=0)
    product = ProductFactory(name="Sweet lychees", merchant=shop)
    ProductImageFactory(product=product)
    SKUFactory(product=product, name="1 kg box", price=3600, on_hand=10)
    sharer = UserFactory(username="mango_lady", display_name="Mango Lady")
    post = PostFactory(author=sharer, text="Lychees at dawn")
    ProductTagFactory(post=post, product=product)
    link, _ = link_get_or_create(sharer=sharer, product_id=product.pk, post_id=post.pk)

    page = new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/s/{link.code}")
    expect(page).to_have_url(f"{live_server.url}/products/{product.pk}/")
    expect(page.get_by_role("heading", name="Sweet lychees")).to_be_visible()

    page.goto(f"{live_server.url}/signup?next=/products/{product.pk}/")
    page.get_by_label("Username").fill("lychee_fan")
    page.get_by_label("Email").fill("lychee@example.com")
    page.get_by_label("Password").fill("orchard-Lychee-77")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Sweet lychees")).to_be_visible()

    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    page.get_by_role("link", name="Check out").click()
    page.get_by_label("Full name").fill("Li Mei")
    page.get_by_label("Phone").fill("+86 138 0000 0000")
    page.get_by_label("Address").fill("12 Orchard Road")
    page.get_by_label("City").fill("Hangzhou")
    page.get_by_label("Postal code").fill("310000")
    page.get_by_role("button", name="Place order and pay").click()
    page.get_by_role("button", name="Approve payment").click()
    expect(page.locator(".pay-status[data-status='succeeded']")).to_be_visible(timeout=15000)

    order = Order.objects.get(buyer__username="lychee_fan")
    assert order.status == OrderStatus.PAID
    decision = Decision.objects.get(order=order, final=True)
    assert (decision.reason, decision.link_id) == (Reason.CREDITED, link.pk)

    sharer_page = new_context(**PHONE).new_page()
    sign_in(sharer_page.context, sharer)
    sharer_page.goto(f"{live_server.url}/me/links/")
    card = sharer_page.locator(f'[data-link="{link.code}"]')
    expect(card.locator("[data-orders]")).to_have_text("1")
    expect(card.locator("[data-clicks]")).to_have_text("1")
    expect(sharer_page.locator("[data-decision]")).to_have_text(["Credited"])
    expect(sharer_page.locator(".decision")).to_contain_text(f"Order {order.pk} · ¥36.00")
    sharer_page.screenshot(path=screenshots_dir / "shoplinks-my-links.png", full_page=True)
