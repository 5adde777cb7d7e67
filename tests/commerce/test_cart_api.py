"""The cart API: one cart per user, prices from the SKU, capped by stock and the line limit."""

import pytest

from commerce.models import CartLine
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory, ProductImageFactory, SKUFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    return user


def add(api_client, sku, quantity=1, **extra):
    return api_client.post(
        "/api/v1/cart/items", {"sku_id": sku.pk, "quantity": quantity, **extra}, format="json"
    )


def test_add_creates_a_line_priced_from_the_sku(api_client, buyer):
    """POST cart/items answers 201 with the line, its price and total taken from the SKU."""
    sku = SKUFactory(price=1250, on_hand=10)
    ProductImageFactory(product=sku.product)

    response = add(api_client, sku, 2)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sku"] == {"id": sku.pk, "name": sku.name}
    assert body["product"]["id"] == sku.product_id
    assert body["product"]["image"]
    assert (body["quantity"], body["unit_price"], body["line_total"]) == (2, "12.50", "25.00")
    assert body["currency"] == "CNY"


def test_adding_the_same_sku_adds_to_its_quantity(api_client, buyer):
    """The same SKU twice is one line with the quantities added."""
    sku = SKUFactory(on_hand=10)

    add(api_client, sku, 2)
    response = add(api_client, sku, 3)

    assert response.status_code == 201
    assert response.json()["quantity"] == 5
    assert CartLine.objects.filter(cart__user=buyer).count() == 1


def test_more_than_available_is_409_insufficient_stock(api_client, buyer):
    """A line can never hold more than is available (on hand minus reserved)."""
    sku = SKUFactory(on_hand=5, reserved=2)
    add(api_client, sku, 2)

    response = add(api_client, sku, 2)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "insufficient_stock"
    assert CartLine.objects.get(cart__user=buyer).quantity == 2


def test_line_limit_is_enforced(api_client, buyer, settings):
    """Above CART_LINE_MAX_QUANTITY the add is refused with line_limit_exceeded."""
    settings.CART_LINE_MAX_QUANTITY = 3
    sku = SKUFactory(on_hand=100)

    response = add(api_client, sku, 4)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "line_limit_exceeded"
    assert not CartLine.objects.exists()


@pytest.mark.parametrize("what", ["sku", "product", "shop"])
def test_not_for_sale_is_refused(api_client, buyer, what):
    """Inactive SKUs and products and suspended shops cannot be added (409 not_for_sale)."""
    sku = SKUFactory()
    if what == "sku":
        sku.active = False
        sku.save()
    elif what == "product":
        sku.product.active = False
        sku.product.save()
    else:
        sku.product.merchant.status = "suspended"
        sku.product.merchant.save()

    response = add(api_client, sku)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_for_sale"


def test_price_in_the_request_is_ignored(api_client, buyer):
    """Mass assignment: a client-sent price or cart changes nothing."""
    sku = SKUFactory(price=900)

    response = add(api_client, sku, 1, unit_price="0.01", price=1, cart=999)

    assert response.status_code == 201
    assert response.json()["unit_price"] == "9.00"


@pytest.mark.parametrize(
    "body", [{}, {"sku_id": "x"}, {"sku_id": 1, "quantity": 0}, {"sku_id": 1, "quantity": -2}]
)
def test_bad_input_is_400(api_client, buyer, body):
    """Missing or malformed fields answer 400 in the error shape."""
    response = api_client.post("/api/v1/cart/items", body, format="json")

    assert response.status_code == 400
    assert "error" in response.json()


def test_unknown_sku_is_404(api_client, buyer):
    response = api_client.post("/api/v1/cart/items", {"sku_id": 987654}, format="json")

    assert response.status_code == 404


def test_get_cart_totals_and_shipping_per_shop(api_client, buyer):
    """The cart adds up per shop: goods, the shop's shipping unless over its threshold."""
    cheap = MerchantFactory(shipping_fee=800, free_shipping_threshold=10000)
    generous = MerchantFactory(shipping_fee=800, free_shipping_threshold=2000)
    add(api_client, SKUFactory(product__merchant=cheap, price=1000), 2)
    add(api_client, SKUFactory(product__merchant=generous, price=1500), 2)

    body = api_client.get("/api/v1/cart").json()

    assert [line["line_total"] for line in body["lines"]] == ["20.00", "30.00"]
    assert {shop["merchant"]["id"]: shop["shipping"] for shop in body["shops"]} == {
        cheap.pk: "8.00",
        generous.pk: "0.00",
    }
    assert (body["subtotal"], body["discount"], body["shipping"], body["total"]) == (
        "50.00",
        "0.00",
        "8.00",
        "58.00",
    )


def test_empty_cart(api_client, buyer):
    body = api_client.get("/api/v1/cart/").json()

    assert body["lines"] == []
    assert body["total"] == "0.00"
    assert body["currency"] == "CNY"


def test_cart_read_is_bounded(api_client, buyer, django_assert_max_num_queries):
    """Reading a cart costs the same few queries whatever its length."""
    for _ in range(6):
        add(api_client, SKUFactory())

    with django_assert_max_num_queries(6):
        assert len(api_client.get("/api/v1/cart").json()["lines"]) == 6


def test_patch_sets_quantity_and_is_capped(api_client, buyer):
    sku = SKUFactory(on_hand=4)
    line_id = add(api_client, sku, 1).json()["id"]

    ok = api_client.patch(f"/api/v1/cart/items/{line_id}", {"quantity": 3}, format="json")
    too_many = api_client.patch(f"/api/v1/cart/items/{line_id}", {"quantity": 5}, format="json")

    assert ok.status_code == 200
    assert ok.json()["quantity"] == 3
    assert too_many.status_code == 409
    assert CartLine.objects.get(pk=line_id).quantity == 3


def test_delete_removes_the_line(api_client, buyer):
    line_id = add(api_client, SKUFactory()).json()["id"]

    assert api_client.delete(f"/api/v1/cart/items/{line_id}").status_code == 204
    assert not CartLine.objects.filter(pk=line_id).exists()


def test_another_users_line_is_404(api_client, buyer):
    """Nobody reads or changes another user's cart lines."""
    other = UserFactory()
    api_client.force_authenticate(other)
    line_id = add(api_client, SKUFactory()).json()["id"]
    api_client.force_authenticate(buyer)

    patch = api_client.patch(f"/api/v1/cart/items/{line_id}", {"quantity": 2}, format="json")
    delete = api_client.delete(f"/api/v1/cart/items/{line_id}")

    assert (patch.status_code, delete.status_code) == (404, 404)
    assert CartLine.objects.get(pk=line_id).quantity == 1
    assert api_client.get("/api/v1/cart").json()["lines"] == []


def test_cart_needs_sign_in(api_client):
    assert api_client.get("/api/v1/cart").status_code == 401
