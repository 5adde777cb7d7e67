"""The shop's pages and the merchant console's pages."""

import pytest
from django.urls import reverse

from commerce.catalog import views
from commerce.models import SKU, Category, Merchant, Product
from tests.factories import UserFactory
from tests.factories_commerce import (
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    SKUFactory,
)

pytestmark = pytest.mark.django_db


def test_shop_is_in_the_navigation(client):
    """The shell's navigation links to the product list."""
    response = client.get(reverse("commerce:product_list"))
    assert response.status_code == 200
    assert f'href="{reverse("commerce:product_list")}"' in response.content.decode()


def test_product_list_shows_cards_and_category_chips(client):
    """Cards show name, price and shop; chips link the root categories."""
    sku = SKUFactory(product__name="Sweet mangoes", price=1990)
    ProductImageFactory(product=sku.product)
    page = client.get(reverse("commerce:product_list")).content.decode()
    assert "Sweet mangoes" in page
    assert "¥19.90" in page
    assert sku.product.merchant.name in page
    assert "?category=fruit" in page


def test_product_list_by_category_includes_children(client):
    """Choosing fruit shows a citrus product, its sub-chips, and not a tea product."""
    SKUFactory(product__name="Oranges", product__category=Category.objects.get(slug="citrus"))
    SKUFactory(product__name="Oolong", product__category=Category.objects.get(slug="tea"))
    page = client.get(reverse("commerce:product_list") + "?category=fruit").content.decode()
    assert "Oranges" in page
    assert "Oolong" not in page
    assert "?category=citrus" in page


def test_product_list_empty_state(client):
    """No products → a friendly empty state, not an empty grid."""
    page = client.get(reverse("commerce:product_list") + "?category=melons").content.decode()
    assert "Nothing here yet" in page


def test_product_list_query_count(client, django_assert_max_num_queries):
    """The page costs a fixed number of queries for 24 products."""
    for _ in range(24):
        ProductImageFactory(product=SKUFactory().product)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("commerce:product_list")).status_code == 200


def test_product_page_shows_skus_with_availability(client):
    """The product page lists each SKU with price, availability and best-before."""
    product = ProductFactory(name="Lychee")
    SKUFactory(product=product, name="500 g", price=1500, on_hand=4, best_before="2030-07-09")
    SKUFactory(product=product, name="2 kg", price=4800, on_hand=0)
    page = client.get(reverse("commerce:product_detail", args=[product.pk])).content.decode()
    assert "500 g" in page
    assert "¥15.00" in page
    assert "4 left" in page
    assert "Best before 9 Jul" in page
    assert "Sold out" in page
    assert 'id="product-posts"' in page


def test_product_page_without_cart_has_no_add_button(client, monkeypatch):
    """With no cart page to post to, no "Add to cart" button is shown."""
    monkeypatch.setattr(views, "url_or_none", lambda name, **kwargs: None)
    product = SKUFactory().product
    page = client.get(reverse("commerce:product_detail", args=[product.pk])).content.decode()
    assert "Add to cart" not in page


@pytest.mark.parametrize("case", ["inactive", "suspended"])
def test_product_page_404_when_not_for_sale(client, case):
    """An inactive product or a suspended shop's product is a 404 page."""
    product = SKUFactory().product
    if case == "inactive":
        Product.objects.filter(pk=product.pk).update(active=False)
    else:
        Merchant.objects.filter(pk=product.merchant_id).update(status="suspended")
    assert client.get(reverse("commerce:product_detail", args=[product.pk])).status_code == 404


def test_shop_page(client):
    """/shops/<slug> shows the shop and its products; a suspended shop is a 404."""
    sku = SKUFactory(product__name="Rye loaf")
    shop = sku.product.merchant
    page = client.get(f"/shops/{shop.slug}/").content.decode()
    assert shop.name in page
    assert "Rye loaf" in page
    Merchant.objects.filter(pk=shop.pk).update(status="suspended")
    assert client.get(f"/shops/{shop.slug}/").status_code == 404


# --- Console --------------------------------------------------------------------------------


def test_console_needs_sign_in(client):
    """Anonymous visitors are sent to sign in."""
    response = client.get(reverse("commerce:console_home"))
    assert response.status_code == 302
    assert "signin" in response["Location"] or "login" in response["Location"]


def test_console_home_offers_to_open_a_shop_then_opens_it(client):
    """A user without a shop sees the open-a-shop form; posting it opens the shop."""
    user = UserFactory()
    client.force_login(user)
    assert "Open my shop" in client.get(reverse("commerce:console_home")).content.decode()
    response = client.post(reverse("commerce:console_home"), {"name": "Corner Bakery"})
    assert response.status_code == 302
    assert Merchant.objects.get(owner=user).name == "Corner Bakery"
    assert "Corner Bakery" in client.get(reverse("commerce:console_home")).content.decode()


def test_console_open_shop_shows_errors(client):
    """An empty name re-renders the form with the error."""
    client.force_login(UserFactory())
    response = client.post(reverse("commerce:console_home"), {"name": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Merchant.objects.exists()


def test_console_pages_send_non_staff_home(client):
    """Without a shop, the product pages redirect to the console home."""
    client.force_login(UserFactory())
    response = client.get(reverse("commerce:console_products"))
    assert response.status_code == 302
    assert response["Location"] == reverse("commerce:console_home")


def _formset(rows):
    data = {
        "skus-TOTAL_FORMS": str(len(rows)),
        "skus-INITIAL_FORMS": "0",
        "skus-MIN_NUM_FORMS": "1",
        "skus-MAX_NUM_FORMS": "50",
    }
    for index, row in enumerate(rows):
        data.update({f"skus-{index}-{key}": value for key, value in row.items()})
    return data


def test_console_create_product_with_two_skus(client):
    """The create form makes the product and both SKUs, then goes to the edit page."""
    shop = MerchantFactory()
    client.force_login(shop.owner)
    data = {
        "product-name": "Peaches",
        "product-description": "Flat peaches",
        "product-category": str(Category.objects.get(slug="stone-fruit").pk),
        "product-commission_rate_bp": "600",
        **_formset(
            [
                {"name": "1 kg", "price": "18.00", "stock": "30"},
                {"name": "3 kg", "price": "45.50", "stock": "8", "best_before": "2030-08-01"},
            ]
        ),
    }
    response = client.post(reverse("commerce:console_product_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    product = Product.objects.get(merchant=shop)
    assert sorted(product.skus.values_list("name", "price", "on_hand")) == [
        ("1 kg", 1800, 30),
        ("3 kg", 4550, 8),
    ]


def test_console_create_shows_errors_and_creates_nothing(client):
    """A bad price re-renders the form with its error; nothing is saved."""
    shop = MerchantFactory()
    client.force_login(shop.owner)
    data = {
        "product-name": "Peaches",
        "product-category": str(Category.objects.get(slug="stone-fruit").pk),
        **_formset([{"name": "1 kg", "price": "12.345", "stock": "3"}]),
    }
    response = client.post(reverse("commerce:console_product_create"), data)
    assert response.status_code == 200
    assert "at most two decimal places" in response.content.decode()
    assert not Product.objects.exists()


def test_console_sku_edit_refuses_stock_below_reserved(client):
    """The SKU page shows the stock-below-reserved error on the stock field."""
    sku = SKUFactory(on_hand=10, reserved=7)
    client.force_login(sku.product.merchant.owner)
    response = client.post(
        reverse("commerce:console_sku_edit", args=[sku.pk]),
        {"name": sku.name, "price": "12.50", "stock": "3", "active": "on"},
    )
    assert response.status_code == 200
    assert "At least 7" in response.content.decode()
    assert SKU.objects.get(pk=sku.pk).on_hand == 10


def test_console_sku_edit_saves_stock(client):
    """A valid stock edit saves and returns to the product page."""
    sku = SKUFactory(on_hand=10)
    client.force_login(sku.product.merchant.owner)
    response = client.post(
        reverse("commerce:console_sku_edit", args=[sku.pk]),
        {"name": sku.name, "price": "12.50", "stock": "42", "active": "on"},
    )
    assert response.status_code == 302
    assert SKU.objects.get(pk=sku.pk).on_hand == 42


def test_console_other_shops_pages_are_404(client):
    """Staff of one shop get 404 on another shop's product and SKU pages."""
    mine = MerchantFactory()
    foreign = SKUFactory()
    client.force_login(mine.owner)
    edit = reverse("commerce:console_product_edit", args=[foreign.product_id])
    assert client.get(edit).status_code == 404
    assert client.get(reverse("commerce:console_sku_edit", args=[foreign.pk])).status_code == 404
    assert client.post(edit, {"action": "product", "product-name": "X"}).status_code == 404


def test_console_shop_settings_page(client):
    """The settings page saves the shipping fee and threshold."""
    shop = MerchantFactory()
    client.force_login(shop.owner)
    response = client.post(
        reverse("commerce:console_shop"),
        {"name": shop.name, "shipping_fee": "6.00", "free_shipping_threshold": "88.00"},
    )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert (shop.shipping_fee, shop.free_shipping_threshold) == (600, 8800)


def test_console_products_page_lists_skus(client, django_assert_max_num_queries):
    """The product list shows each product's SKUs in a bounded number of queries."""
    shop = MerchantFactory()
    for _ in range(10):
        product = ProductFactory(merchant=shop)
        SKUFactory(product=product)
        SKUFactory(product=product)
    client.force_login(shop.owner)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("commerce:console_products")).content.decode()
    assert page.count("left") == 20


def test_product_page_add_to_cart_form_posts_to_the_cart(client):
    """When the cart page exists, the form posts sku_id and quantity to it."""
    sku = SKUFactory()
    page = client.get(reverse("commerce:product_detail", args=[sku.product_id])).content.decode()
    assert f'action="{reverse("commerce:cart_add")}"' in page
    assert f'name="sku_id" value="{sku.pk}"' in page
    assert 'name="quantity"' in page
