"""The merchant console API: products and SKUs of one's own shop, and nobody else's."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from commerce.models import SKU, Category, Product
from tests.factories_commerce import (
    MerchantFactory,
    MerchantStaffFactory,
    ProductFactory,
    SKUFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return MerchantFactory()


@pytest.fixture
def owner_client(api_client, shop):
    api_client.force_authenticate(shop.owner)
    return api_client


def _payload(**overrides):
    payload = {
        "name": "Hainan mangoes",
        "description": "Ripe and fragrant.",
        "category_id": Category.objects.get(slug="tropical-fruit").pk,
        "images": [],
        "commission_rate_bp": 800,
        "skus": [
            {"name": "1 kg", "price": "19.90", "stock": 40, "best_before": "2030-06-01"},
            {"name": "3 kg box", "price": "49.00", "stock": 10, "harvest_date": "2030-05-20"},
        ],
    }
    payload.update(overrides)
    return payload


def test_create_product_with_skus(owner_client, shop):
    """POST merchant/products → 201 with the product and its SKUs, stock as on_hand."""
    response = owner_client.post("/api/v1/merchant/products", _payload(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    product = Product.objects.get(pk=data["id"])
    assert product.merchant == shop
    assert product.active is True
    assert product.commission_rate_bp == 800
    assert [(s["name"], s["price"], s["on_hand"], s["available"]) for s in data["skus"]] == [
        ("1 kg", "19.90", 40, 40),
        ("3 kg box", "49.00", 10, 10),
    ]
    assert data["price"] == "19.90"
    assert data["skus"][0]["best_before"] == "2030-06-01"


def test_create_ignores_mass_assigned_fields(owner_client, shop):
    """merchant, id, active and a SKU's reserved/id sent by the client are ignored."""
    other = MerchantFactory()
    payload = _payload(merchant=other.pk, merchant_id=other.pk, id=999, active=False)
    payload["skus"][0].update({"reserved": 30, "id": 777, "on_hand": 5})
    response = owner_client.post("/api/v1/merchant/products", payload, format="json")
    assert response.status_code == 201
    product = Product.objects.get(pk=response.json()["id"])
    assert product.pk != 999
    assert product.merchant == shop
    assert product.active is True
    sku = product.skus.get(name="1 kg")
    assert (sku.reserved, sku.on_hand) == (0, 40)
    assert sku.pk != 777


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"skus": []}, "skus"),
        ({"category_id": 99999}, "category_id"),
        ({"commission_rate_bp": 3001}, "commission_rate_bp"),
        ({"commission_rate_bp": -1}, "commission_rate_bp"),
        ({"images": [1]}, "images"),
        ({"name": ""}, "name"),
    ],
)
def test_create_refuses_bad_input(owner_client, change, field):
    """Bad input → 400 naming the field, and nothing is created."""
    response = owner_client.post("/api/v1/merchant/products", _payload(**change), format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert Product.objects.count() == 0


@pytest.mark.parametrize(
    "sku", [{"price": "0"}, {"price": "1e3"}, {"price": "-1.00"}, {"stock": -1}, {"stock": "x"}]
)
def test_create_refuses_bad_skus(owner_client, sku):
    """A SKU with a zero/malformed/negative price or a bad stock → 400, nothing created."""
    payload = _payload()
    payload["skus"][0].update(sku)
    response = owner_client.post("/api/v1/merchant/products", payload, format="json")
    assert response.status_code == 400
    assert Product.objects.count() == 0


@override_settings(COMMISSION_CAP_BP=1000)
def test_commission_cap_is_a_setting(owner_client):
    """The cap comes from COMMISSION_CAP_BP at call time."""
    response = owner_client.post(
        "/api/v1/merchant/products", _payload(commission_rate_bp=1200), format="json"
    )
    assert response.status_code == 400


def test_list_shows_only_my_products_including_inactive(owner_client, shop):
    """GET merchant/products lists this shop's products, hidden ones too, never another's."""
    mine = SKUFactory(product__merchant=shop).product
    hidden = SKUFactory(product=ProductFactory(merchant=shop, active=False)).product
    SKUFactory()
    rows = owner_client.get("/api/v1/merchant/products").json()["results"]
    assert {row["id"] for row in rows} == {mine.pk, hidden.pk}


def test_list_query_count_is_bounded(owner_client, shop, django_assert_max_num_queries):
    """Twenty products with three SKUs each cost a fixed number of queries."""
    for _ in range(20):
        product = ProductFactory(merchant=shop)
        for _ in range(3):
            SKUFactory(product=product)
    with django_assert_max_num_queries(6):
        rows = owner_client.get("/api/v1/merchant/products").json()["results"]
    assert len(rows) == 20


def test_other_shops_products_are_404(owner_client):
    """Another shop's product and SKU do not exist for this shop's staff: GET/PATCH → 404."""
    foreign = SKUFactory()
    product = foreign.product
    assert owner_client.get(f"/api/v1/merchant/products/{product.pk}").status_code == 404
    response = owner_client.patch(
        f"/api/v1/merchant/products/{product.pk}", {"name": "Mine now"}, format="json"
    )
    assert response.status_code == 404
    response = owner_client.patch(
        f"/api/v1/merchant/skus/{foreign.pk}", {"stock": 0}, format="json"
    )
    assert response.status_code == 404
    response = owner_client.post(
        f"/api/v1/merchant/products/{product.pk}/skus",
        {"name": "x", "price": "1.00", "stock": 1},
        format="json",
    )
    assert response.status_code == 404
    product.refresh_from_db()
    foreign.refresh_from_db()
    assert product.name != "Mine now"
    assert foreign.on_hand == 10
    assert foreign.product.skus.count() == 1


def test_patch_product(owner_client, shop):
    """PATCH merchant/products/{id} changes name, category, active, rate; merchant is ignored."""
    product = SKUFactory(product__merchant=shop).product
    other = MerchantFactory()
    citrus = Category.objects.get(slug="citrus")
    response = owner_client.patch(
        f"/api/v1/merchant/products/{product.pk}",
        {
            "name": "Blood oranges",
            "category_id": citrus.pk,
            "active": False,
            "commission_rate_bp": 500,
            "merchant": other.pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    product.refresh_from_db()
    assert (product.name, product.category, product.active) == ("Blood oranges", citrus, False)
    assert product.commission_rate_bp == 500
    assert product.merchant == shop


def test_patch_sku_price_stock_active(owner_client, shop):
    """PATCH merchant/skus/{id} sets price, stock (on_hand), name, dates and active."""
    sku = SKUFactory(product__merchant=shop, on_hand=10, reserved=3)
    response = owner_client.patch(
        f"/api/v1/merchant/skus/{sku.pk}",
        {"price": "9.99", "stock": 25, "active": False, "best_before": "2031-01-01"},
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["price"], data["on_hand"], data["reserved"], data["available"]) == (
        "9.99",
        25,
        3,
        22,
    )
    sku.refresh_from_db()
    assert (sku.price, sku.on_hand, sku.active) == (999, 25, False)


def test_stock_below_reserved_is_refused(owner_client, shop):
    """Stock below what open orders hold → 409 stock_below_reserved; nothing changes."""
    sku = SKUFactory(product__merchant=shop, on_hand=10, reserved=6)
    response = owner_client.patch(
        f"/api/v1/merchant/skus/{sku.pk}", {"stock": 5, "price": "1.00"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stock_below_reserved"
    sku.refresh_from_db()
    assert (sku.on_hand, sku.reserved, sku.price) == (10, 6, 1250)


def test_stock_down_to_reserved_is_allowed(owner_client, shop):
    """Stock equal to reserved is fine: nothing left to sell, nothing oversold."""
    sku = SKUFactory(product__merchant=shop, on_hand=10, reserved=6)
    response = owner_client.patch(f"/api/v1/merchant/skus/{sku.pk}", {"stock": 6}, format="json")
    assert response.status_code == 200
    assert response.json()["available"] == 0


def test_sku_patch_ignores_reserved_and_product(owner_client, shop):
    """reserved, on_hand, product and id sent to PATCH merchant/skus are ignored."""
    sku = SKUFactory(product__merchant=shop, on_hand=10, reserved=2)
    elsewhere = ProductFactory()
    response = owner_client.patch(
        f"/api/v1/merchant/skus/{sku.pk}",
        {"reserved": 0, "on_hand": 99, "product": elsewhere.pk, "id": 5},
        format="json",
    )
    assert response.status_code == 200
    sku.refresh_from_db()
    assert (sku.reserved, sku.on_hand, sku.product.merchant) == (2, 10, shop)


def test_add_sku_to_product(owner_client, shop):
    """POST merchant/products/{id}/skus adds an active SKU."""
    product = SKUFactory(product__merchant=shop).product
    response = owner_client.post(
        f"/api/v1/merchant/products/{product.pk}/skus",
        {"name": "Gift box", "price": "88.00", "stock": 5},
        format="json",
    )
    assert response.status_code == 201
    assert SKU.objects.get(pk=response.json()["id"]).price == 8800


def _image_bytes(fmt="JPEG", size=(1200, 900)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 160, 40)).save(buffer, format=fmt)
    return buffer.getvalue()


def test_upload_product_image(owner_client, shop):
    """A JPEG upload is decoded, re-encoded as WebP, stored and listed on the product."""
    product = SKUFactory(product__merchant=shop).product
    upload = SimpleUploadedFile("m.jpg", _image_bytes(), content_type="image/jpeg")
    response = owner_client.post(
        f"/api/v1/merchant/products/{product.pk}/images", {"image": upload}, format="multipart"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["width"], data["height"]) == (1200, 900)
    assert data["url"].endswith(".webp")
    assert product.images.count() == 1


def test_upload_that_is_not_an_image_is_refused(owner_client, shop):
    """Bytes that do not decode → 400 invalid_image, nothing stored."""
    product = SKUFactory(product__merchant=shop).product
    upload = SimpleUploadedFile("m.jpg", b"GIF89a not really", content_type="image/jpeg")
    response = owner_client.post(
        f"/api/v1/merchant/products/{product.pk}/images", {"image": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_image"
    assert product.images.count() == 0


def test_staff_member_manages_the_shop_products(api_client, shop):
    """A staff member (not only the owner) edits the shop's stock."""
    member = MerchantStaffFactory(merchant=shop)
    sku = SKUFactory(product__merchant=shop)
    api_client.force_authenticate(member.user)
    response = api_client.patch(f"/api/v1/merchant/skus/{sku.pk}", {"stock": 3}, format="json")
    assert response.status_code == 200
