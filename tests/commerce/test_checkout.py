"""Checkout: one order per shop, one payment, exact money, stock reserved, cart emptied."""

import pytest

from backend.events.models import Event
from commerce.checkout.services import checkout_place
from commerce.models import SKU, CartLine, Order, OrderLine, Payment
from tests.commerce.buying import ADDRESS, buy, fill_cart
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory, SKUFactory

pytestmark = pytest.mark.django_db


def checkout(api_client, body=None, **headers):
    return api_client.post(
        "/api/v1/checkout", body or {"address": ADDRESS}, format="json", headers=headers
    )


@pytest.fixture
def buyer(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    return user


def test_checkout_places_an_order_and_a_payment(api_client, buyer):
    """201 with the payment (pay_url) and the order; the cart is emptied, stock reserved."""
    sku = SKUFactory(price=1250, on_hand=10, product__merchant__shipping_fee=600)
    fill_cart(buyer, (sku, 2))

    response = checkout(api_client)

    assert response.status_code == 201, response.json()
    body = response.json()
    [order] = body["orders"]
    assert order["merchant"] == {"id": sku.product.merchant_id, "name": sku.product.merchant.name}
    assert (order["total"], order["currency"], order["status"]) == (
        "31.00",
        "CNY",
        "pending_payment",
    )
    assert body["payment"]["amount"] == "31.00"
    assert body["payment"]["status"] == "pending"
    assert body["payment"]["pay_url"]
    sku.refresh_from_db()
    assert (sku.on_hand, sku.reserved) == (10, 2)
    assert not CartLine.objects.filter(cart__user=buyer).exists()
    assert Event.objects.filter(
        name="order.placed", payload={"order": order["id"], "buyer": buyer.pk}
    ).exists()


def test_order_lines_record_snapshots(buyer):
    """Each line keeps ids and names of product, SKU, category and shop, and its amounts."""
    sku = SKUFactory(price=700)

    [order] = buy(buyer, (sku, 3)).orders

    line = OrderLine.objects.get(order=order)
    product = sku.product
    assert (line.product_id, line.sku_id, line.category_id, line.merchant_id) == (
        product.pk,
        sku.pk,
        product.category_id,
        product.merchant_id,
    )
    assert (line.product_name, line.sku_name, line.category_name, line.merchant_name) == (
        product.name,
        sku.name,
        product.category.name,
        product.merchant.name,
    )
    assert (line.unit_price, line.quantity, line.discount, line.net_amount) == (700, 3, 0, 2100)
    assert order.address == ADDRESS


def test_three_shops_make_three_orders_and_one_payment_of_their_sum(buyer):
    """A cart spanning three shops → three orders and one payment for exactly their sum."""
    skus = [
        SKUFactory(price=1999, product__merchant=MerchantFactory(shipping_fee=fee))
        for fee in (0, 500, 1200)
    ]

    result = buy(buyer, *[(sku, n + 1) for n, sku in enumerate(skus)])

    assert len(result.orders) == 3
    assert {order.merchant_id for order in result.orders} == {s.product.merchant_id for s in skus}
    assert Payment.objects.get().amount == sum(order.total for order in result.orders)
    assert result.payment.amount == 1999 * 1 + 1999 * 2 + 500 + 1999 * 3 + 1200


def test_money_adds_up_exactly(buyer):
    """Σ line nets − discount + shipping = order total, and subtotal = Σ unit × quantity."""
    shop = MerchantFactory(shipping_fee=899, free_shipping_threshold=100000)
    items = [
        (SKUFactory(product__merchant=shop, price=price), q)
        for price, q in ((333, 3), (1, 7), (12345, 2))
    ]

    [order] = buy(buyer, *items).orders

    lines = list(OrderLine.objects.filter(order=order))
    assert (
        order.subtotal == sum(line.unit_price * line.quantity for line in lines) == 999 + 7 + 24690
    )
    assert order.discount == sum(line.discount for line in lines) == 0
    assert order.total == sum(line.net_amount for line in lines) + order.shipping
    assert order.total == order.subtotal - order.discount + order.shipping == 25696 + 899


def test_free_shipping_from_the_threshold(buyer):
    shop = MerchantFactory(shipping_fee=800, free_shipping_threshold=5000)

    [order] = buy(buyer, (SKUFactory(product__merchant=shop, price=2500), 2)).orders

    assert order.shipping == 0
    assert order.total == 5000


def test_empty_cart_is_400(api_client, buyer):
    response = checkout(api_client)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "cart_empty"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("phone", "call me"),
        ("postal_code", "?"),
        ("city", None),
        ("line1", "x" * 201),
    ],
)
def test_bad_address_names_the_field_and_changes_nothing(api_client, buyer, field, value):
    sku = SKUFactory(on_hand=5)
    fill_cart(buyer, (sku, 1))

    response = checkout(api_client, {"address": {**ADDRESS, field: value}})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_address"
    assert field in error["fields"]["address"]
    assert not Order.objects.exists()
    assert SKU.objects.get(pk=sku.pk).reserved == 0
    assert CartLine.objects.filter(cart__user=buyer).count() == 1


@pytest.mark.parametrize("address", [None, "12 Orchard Road", [], 5])
def test_address_that_is_not_an_object_is_400(api_client, buyer, address):
    fill_cart(buyer, (SKUFactory(), 1))

    response = checkout(api_client, {"address": address})

    assert response.status_code == 400


def test_coupon_codes_are_refused_until_coupons_exist(api_client, buyer):
    fill_cart(buyer, (SKUFactory(), 1))

    response = checkout(api_client, {"address": ADDRESS, "coupon_code": "SAVE10"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_coupon"
    assert not Order.objects.exists()


def test_insufficient_stock_rolls_everything_back(buyer):
    """One short SKU fails the whole checkout: nothing reserved, no order, cart kept."""
    plenty = SKUFactory(on_hand=10)
    short = SKUFactory(on_hand=3)
    fill_cart(buyer, (plenty, 2), (short, 3))
    SKU.objects.filter(pk=short.pk).update(on_hand=2)

    with pytest.raises(Exception, match="stock"):
        checkout_place(buyer=buyer, address=ADDRESS)

    assert SKU.objects.get(pk=plenty.pk).reserved == 0
    assert not Order.objects.exists()
    assert not Payment.objects.exists()
    assert CartLine.objects.filter(cart__user=buyer).count() == 2


def test_product_gone_off_sale_blocks_checkout(api_client, buyer):
    sku = SKUFactory()
    fill_cart(buyer, (sku, 1))
    sku.product.active = False
    sku.product.save()

    response = checkout(api_client)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_for_sale"


def test_mass_assignment_is_ignored(api_client, buyer):
    """Totals, status, shop, buyer or payment sent by the client change nothing."""
    sku = SKUFactory(price=1000)
    fill_cart(buyer, (sku, 1))
    other = UserFactory()

    response = checkout(
        api_client,
        {
            "address": ADDRESS,
            "total": "0.01",
            "status": "paid",
            "merchant": 1,
            "buyer": other.pk,
            "amount": "0.01",
            "orders": [{"total": "0.01"}],
        },
    )

    assert response.status_code == 201
    order = Order.objects.get()
    assert (order.buyer_id, order.status, order.total) == (buyer.pk, "pending_payment", 1000)


def test_three_line_checkout_query_count(buyer, django_assert_max_num_queries):
    """A 3-line checkout runs in at most 15 queries."""
    shop = MerchantFactory()
    fill_cart(buyer, *[(SKUFactory(product__merchant=shop), 1) for _ in range(3)])

    with django_assert_max_num_queries(15):
        checkout_place(buyer=buyer, address=ADDRESS)


def test_checkout_needs_sign_in(api_client):
    assert checkout(api_client).status_code == 401
