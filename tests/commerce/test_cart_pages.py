"""Cart, checkout and order pages, and the visitor's cart merged at sign-in."""

import pytest
from django.urls import reverse

from commerce.models import Cart, CartLine, Order, OrderStatus
from tests.commerce.buying import ADDRESS, buy, fill_cart
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.factories_commerce import SKUFactory

pytestmark = pytest.mark.django_db


def add(client, sku, quantity=1):
    return client.post(reverse("commerce:cart_add"), {"sku_id": sku.pk, "quantity": quantity})


def sign_in(client, user):
    return client.post(
        reverse("accounts:signin"), {"username": user.username, "password": DEFAULT_PASSWORD}
    )


def test_visitor_adds_to_a_session_cart(client):
    sku = SKUFactory(price=800)

    response = add(client, sku, 2)

    assert response.status_code == 302
    assert response.url == reverse("commerce:cart")
    page = client.get(reverse("commerce:cart")).content.decode()
    assert sku.product.name in page
    assert "¥16.00" in page
    assert Cart.objects.get().user is None


def test_sign_in_merges_the_visitor_cart_adding_and_capping(client, settings):
    """Lines move into the user's cart; quantities of one SKU add up, capped by stock."""
    settings.CART_LINE_MAX_QUANTITY = 99
    user = UserFactory()
    both = SKUFactory(on_hand=5)
    only_visitor = SKUFactory(on_hand=10)
    fill_cart(user, (both, 3))
    add(client, both, 4)
    add(client, only_visitor, 2)

    response = sign_in(client, user)

    assert response.status_code == 302
    lines = dict(CartLine.objects.filter(cart__user=user).values_list("sku_id", "quantity"))
    assert lines == {both.pk: 5, only_visitor.pk: 2}
    assert Cart.objects.count() == 1
    assert only_visitor.product.name in client.get(reverse("commerce:cart")).content.decode()


def test_merge_caps_at_the_line_limit(client, settings):
    settings.CART_LINE_MAX_QUANTITY = 6
    user = UserFactory()
    sku = SKUFactory(on_hand=50)
    fill_cart(user, (sku, 4))
    add(client, sku, 5)

    sign_in(client, user)

    assert CartLine.objects.get(cart__user=user).quantity == 6


def test_add_refused_shows_the_reason(client):
    sku = SKUFactory(on_hand=1)

    response = add(client, sku, 3)

    assert response.status_code == 302
    assert not CartLine.objects.exists()
    page = client.get(reverse("commerce:cart")).content.decode()
    assert "Only 1" in page


def test_htmx_quantity_change_rerenders_the_cart(client):
    user = UserFactory()
    sku = SKUFactory(price=500, on_hand=9)
    fill_cart(user, (sku, 1))
    client.force_login(user)
    line = CartLine.objects.get()

    response = client.post(
        reverse("commerce:cart_line_update", args=[line.pk]),
        {"quantity": 3},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "¥15.00" in response.content.decode()
    assert CartLine.objects.get().quantity == 3


def test_remove_and_other_users_lines(client):
    user, other = UserFactory(), UserFactory()
    fill_cart(other, (SKUFactory(), 1))
    client.force_login(user)
    theirs = CartLine.objects.get()

    client.post(reverse("commerce:cart_line_remove", args=[theirs.pk]))

    assert CartLine.objects.filter(pk=theirs.pk).exists()


def test_checkout_page_places_and_redirects_to_pay(client):
    user = UserFactory()
    fill_cart(user, (SKUFactory(), 2))
    client.force_login(user)
    assert client.get(reverse("commerce:checkout")).status_code == 200

    response = client.post(reverse("commerce:checkout"), ADDRESS)

    order = Order.objects.get(buyer=user)
    assert response.status_code == 302
    assert str(order.payment_id) in response.url


def test_checkout_page_shows_address_errors(client):
    user = UserFactory()
    fill_cart(user, (SKUFactory(), 1))
    client.force_login(user)

    response = client.post(reverse("commerce:checkout"), {**ADDRESS, "phone": "no phone"})

    assert response.status_code == 200
    assert "valid value" in response.content.decode()
    assert not Order.objects.exists()


def test_checkout_page_needs_sign_in(client):
    response = client.get(reverse("commerce:checkout"))

    assert response.status_code == 302
    assert reverse("accounts:signin") in response.url


def test_order_pages(client):
    user = UserFactory()
    [order] = buy(user, (SKUFactory(), 1)).orders
    client.force_login(user)

    listing = client.get(reverse("commerce:order_list")).content.decode()
    detail = client.get(reverse("commerce:order_detail", args=[order.pk])).content.decode()

    assert f"Order {order.pk}" in listing
    assert "Pay now" in detail
    assert "Cancel order" in detail
    assert "Waiting for payment" in detail


def test_order_page_cancel(client):
    user = UserFactory()
    [order] = buy(user, (SKUFactory(), 1)).orders
    client.force_login(user)

    client.post(reverse("commerce:order_cancel", args=[order.pk]))

    assert Order.objects.get().status == OrderStatus.CANCELLED
    assert (
        "Pay now"
        not in client.get(reverse("commerce:order_detail", args=[order.pk])).content.decode()
    )


def test_another_users_order_page_is_404(client):
    [order] = buy(UserFactory(), (SKUFactory(), 1)).orders
    client.force_login(UserFactory())

    assert client.get(reverse("commerce:order_detail", args=[order.pk])).status_code == 404
    assert client.post(reverse("commerce:order_cancel", args=[order.pk])).status_code == 404
