"""A friend taps a sharer's link, buys two boxes and pays; the sharer's earnings page then
shows the pending card, the chart with the day's commission, and the commission with its
status and reason. Phone and wide screen, screenshots of both."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rewards.models import Commission, CommissionRule, RuleScope
from shoplinks.services import link_get_or_create
from tests.factories import UserFactory
from tests.factories_commerce import (
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    SKUFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Headless Chromium names itself "HeadlessChrome", which the tap log flags as a bot; the friend
# is a person on a phone.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    ),
}


def test_the_earnings_page_after_a_purchase_through_a_link(
    live_server, new_context, sign_in, screenshots_dir, outside_requests, settings
):
    """Tap /s/<code> → add 2 × 100.00 to the cart → check out → approve on the sandbox page; at
    10 % the sharer's page shows 20.00 pending, the chart's commission bar, the link's row and
    the commission "Pending" with "Credited: a tap on your link …"; nothing leaves the server."""
    settings.SITE_URL = live_server.url
    shop = MerchantFactory(name="Hillside Grove", shipping_fee=0)
    product = ProductFactory(name="Sweet lychees", merchant=shop)
    ProductImageFactory(product=product)
    SKUFactory(product=product, name="1 kg box", price=10_000, on_hand=10)
    CommissionRule.objects.create(
        scope=RuleScope.PRODUCT,
        product=product,
        rate_bp=1000,
        valid_from=timezone.now() - timedelta(days=1),
    )
    sharer = UserFactory(username="mango_lady", display_name="Mango Lady")
    buyer = UserFactory(username="lychee_fan", display_name="Li Mei")
    link, _ = link_get_or_create(sharer=sharer, product_id=product.pk)

    friend = new_context(**PHONE)
    sign_in(friend, buyer)
    page = friend.new_page()
    page.goto(f"{live_server.url}/s/{link.code}")
    expect(page.get_by_role("heading", name="Sweet lychees")).to_be_visible()
    page.get_by_label("Quantity").fill("2")
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
    commission = Commission.objects.get(sharer=sharer)
    assert (commission.base, commission.amount) == (20_000, 2000)

    wide = {"viewport": {"width": 1280, "height": 900}}
    for name, options in (("mobile", PHONE), ("desktop", wide)):
        context = new_context(**options)
        sign_in(context, sharer)
        mine = context.new_page()
        outside = outside_requests(mine)
        mine.goto(f"{live_server.url}/earnings/")
        expect(mine.get_by_role("heading", name="Your earnings")).to_be_visible()
        expect(mine.locator('[data-card="pending"] [data-amount]')).to_contain_text("20.00")
        expect(mine.locator('[data-card="available"] [data-amount]')).to_contain_text("0.00")
        expect(mine.locator("svg[data-chart]")).to_be_visible()
        expect(mine.locator('[data-series="commission"] rect.chart-bar')).to_have_count(1)
        row = mine.locator(f'[data-commission="{commission.pk}"]')
        expect(row).to_contain_text("Sweet lychees")
        expect(row.locator(".status")).to_have_text("Pending")
        expect(row.locator("[data-reason]")).to_contain_text(
            f"Credited: a tap on your link {link.code}"
        )
        expect(mine.locator(f'[data-link="{link.code}"]')).to_contain_text("20.00")
        mine.screenshot(path=str(screenshots_dir / f"earnings-{name}.png"), full_page=True)
        assert outside == []
