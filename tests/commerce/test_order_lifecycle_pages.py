"""The order-life pages: the buyer's shipment and "Confirm delivery"; the console's orders to
ship (ship form), all orders by status, one order. Another shop's order is a 404."""

import pytest
from django.urls import reverse

from commerce.models import SKU, Order, OrderStatus
from commerce.orders.lifecycle import order_ship
from tests.commerce.lifecycle_support import paid_order, shipped_order
from tests.factories import UserFactory
from tests.factories_commerce import MerchantStaffFactory, SKUFactory

pytestmark = pytest.mark.django_db


def staff_login(client, merchant):
    client.force_login(MerchantStaffFactory(merchant=merchant).user)
    return client


def test_buyer_sees_the_shipment_and_confirms_delivery(client):
    """A shipped order shows carrier and tracking number and a Confirm delivery button that
    delivers it."""
    order = shipped_order()
    client.force_login(order.buyer)
    url = reverse("commerce:order_detail", args=[order.pk])

    html = client.get(url).content.decode()
    assert "SF123" in html
    assert "Confirm delivery" in html

    response = client.post(reverse("commerce:order_confirm_delivery", args=[order.pk]))

    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED
    assert "Confirm delivery" not in client.get(url).content.decode()


def test_a_paid_order_has_no_confirm_button(client):
    """Nothing to confirm before the parcel leaves."""
    order = paid_order()
    client.force_login(order.buyer)
    html = client.get(reverse("commerce:order_detail", args=[order.pk])).content.decode()
    assert "Confirm delivery" not in html


def test_another_buyer_cannot_confirm(client):
    """Someone else's order is a 404 and stays shipped."""
    order = shipped_order()
    client.force_login(UserFactory())
    response = client.post(reverse("commerce:order_confirm_delivery", args=[order.pk]))
    assert response.status_code == 404
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED


def test_console_queue_lists_paid_orders_and_ships_one(client, django_assert_max_num_queries):
    """The default Orders page is the queue to ship; its form ships the order and deducts stock."""
    sku = SKUFactory(on_hand=10)
    first, second = paid_order((sku, 1)), paid_order((sku, 2))
    staff_login(client, sku.product.merchant)

    with django_assert_max_num_queries(12):
        html = client.get(reverse("commerce:console_orders")).content.decode()
    assert f'data-order="{first.pk}"' in html
    assert f'data-order="{second.pk}"' in html

    response = client.post(
        reverse("commerce:console_order_ship", args=[first.pk]),
        {"carrier": "EMS", "tracking_number": "EMS9", "next": "to_ship"},
    )

    assert response.status_code == 302
    assert Order.objects.get(pk=first.pk).status == OrderStatus.SHIPPED
    assert SKU.objects.get(pk=sku.pk).on_hand == 9
    html = client.get(reverse("commerce:console_orders")).content.decode()
    assert f'data-order="{first.pk}"' not in html


def test_console_filters_by_status_chip(client):
    """The status chips list only orders in that state."""
    sku = SKUFactory(on_hand=10)
    paid, shipped = paid_order((sku, 1)), paid_order((sku, 1))
    order_ship(order=shipped, actor=None, carrier="EMS", tracking_number="E1")
    staff_login(client, sku.product.merchant)

    html = client.get(reverse("commerce:console_orders") + "?status=paid").content.decode()

    assert f'data-order="{paid.pk}"' in html
    assert f'data-order="{shipped.pk}"' not in html


def test_console_ship_with_blank_fields_shows_errors(client):
    """A blank tracking number is a 400 page with the error and the order stays paid."""
    order = paid_order()
    staff_login(client, order.merchant)

    response = client.post(
        reverse("commerce:console_order_ship", args=[order.pk]),
        {"carrier": "EMS", "tracking_number": ""},
    )

    assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


def test_console_order_detail_shows_timeline(client):
    """One order: buyer, lines, shipment and the timeline of its moves."""
    order = shipped_order()
    staff_login(client, order.merchant)

    html = client.get(reverse("commerce:console_order_detail", args=[order.pk])).content.decode()

    assert "SF123" in html
    assert "Timeline" in html
    assert "Shipped" in html


def test_another_shops_order_is_404_on_the_console(client):
    """Shop B's staff neither open nor ship shop A's order."""
    order = paid_order()
    staff_login(client, SKUFactory().product.merchant)

    assert client.get(reverse("commerce:console_order_detail", args=[order.pk])).status_code == 404
    response = client.post(
        reverse("commerce:console_order_ship", args=[order.pk]),
        {"carrier": "EMS", "tracking_number": "E1"},
    )
    assert response.status_code == 404
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
