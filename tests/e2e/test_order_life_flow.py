"""After payment, in the browser: the shop ships, the buyer confirms delivery and asks for one
unit back, the shop approves, and both sides see the order partially refunded."""

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from commerce.models import SKU, Order, OrderStatus, Payment, PaymentStatus
from commerce.orders.services import orders_mark_paid
from tests.commerce.buying import buy
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory, ProductFactory, SKUFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_ship_deliver_refund_one_unit(
    live_server, desktop, mobile, sign_in, screenshots_dir, settings
):
    """Ship (stock deducted) → confirm delivery → refund 1 of 3 → approve → partially refunded."""
    # The sandbox confirms the refund by webhook, addressed absolutely like a real gateway's.
    settings.SITE_URL = live_server.url
    shop = MerchantFactory(name="Riverside Farm")
    sku = SKUFactory(
        product=ProductFactory(name="Yellow peaches", merchant=shop),
        name="1 kg box",
        price=1500,
        on_hand=10,
    )
    buyer = UserFactory(username="peachfan")
    result = buy(buyer, (sku, 3))
    # Paid as the gateway's webhook leaves it: the payment succeeded, its orders paid.
    with transaction.atomic():
        Payment.objects.filter(pk=result.payment.pk).update(
            status=PaymentStatus.SUCCEEDED, paid_at=timezone.now()
        )
        orders_mark_paid(payment=result.payment)
    [order] = result.orders

    console = desktop
    sign_in(console.context, shop.owner)
    console.goto(f"{live_server.url}/console/orders/")
    row = console.locator(f"[data-order='{order.pk}']")
    row.get_by_label("Carrier").fill("SF Express")
    row.get_by_label("Tracking number").fill("SF7788")
    row.get_by_role("button", name="Ship").click()
    expect(console.get_by_text(f"Order {order.pk} is on its way.")).to_be_visible()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED
    assert SKU.objects.get(pk=sku.pk).on_hand == 7

    page = mobile
    sign_in(page.context, buyer)
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    expect(page.locator("[data-tracking-number]")).to_have_text("SF7788")
    page.get_by_role("button", name="Confirm delivery").click()
    expect(page.locator("[data-order-status]")).to_have_attribute("data-order-status", "delivered")
    page.get_by_text("Ask for a refund").click()
    page.locator(f"input[name='qty_{order.lines.get().pk}']").fill("1")
    page.locator("textarea[name='reason']").fill("One peach was bruised.")
    page.get_by_role("button", name="Request refund").click()
    expect(page.locator("[data-refund-status='requested']")).to_be_visible()

    console.goto(f"{live_server.url}/console/refunds/")
    with console.expect_navigation():
        console.get_by_role("button", name="Approve").first.click()
    expect(console.get_by_role("button", name="Approve")).to_have_count(0)
    console.goto(f"{live_server.url}/console/orders/{order.pk}/")
    expect(console.locator("[data-order-status]")).to_have_attribute(
        "data-order-status", "partially_refunded"
    )
    console.screenshot(
        path=screenshots_dir / "console-order-partially-refunded.png", full_page=True
    )

    page.reload()
    expect(page.locator("[data-order-status]")).to_have_attribute(
        "data-order-status", "partially_refunded"
    )
    page.screenshot(path=screenshots_dir / "order-partially-refunded.png", full_page=True)
