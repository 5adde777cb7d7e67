"""The public catalog API: categories, product list with filters, product detail."""

import pytest

from commerce.models import Category, Merchant
from tests.factories_commerce import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    SKUFactory,
)

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_categories_are_seeded_as_a_tree(api_client):
    """The data migration leaves fruit with citrus and berries below it, and drinks with tea."""
    tree = api_client.get("/api/v1/categories").json()
    by_slug = {node["slug"]: node for node in tree}
    fruit_children = {child["slug"] for child in by_slug["fruit"]["children"]}
    assert {"citrus", "berries", "tropical-fruit", "stone-fruit", "melons"} <= fruit_children
    assert {child["slug"] for child in by_slug["drinks"]["children"]} >= {"tea", "coffee", "juice"}
    assert set(by_slug["fruit"]) == {"id", "name", "slug", "children"}


def test_categories_tree_costs_at_most_two_queries(api_client, django_assert_max_num_queries):
    """The tree is read in a bounded number of queries however many nodes it has."""
    parent = Category.objects.get(slug="citrus")
    for n in range(10):
        CategoryFactory(parent=parent, name=f"Orange {n}")
    with django_assert_max_num_queries(2):
        api_client.get("/api/v1/categories")


def test_product_list_row_has_contract_fields(api_client):
    """A row: id, name, merchant {id, name}, lowest active price, currency, image, in_stock."""
    product = ProductFactory(name="Mangoes")
    SKUFactory(product=product, price=3000)
    SKUFactory(product=product, price=1250)
    SKUFactory(product=product, price=500, active=False)
    ProductImageFactory(product=product)
    [row] = _results(api_client.get("/api/v1/products"))
    assert row["id"] == product.pk
    assert row["merchant"]["id"] == product.merchant_id
    assert row["merchant"]["name"] == product.merchant.name
    assert row["price"] == "12.50"
    assert row["currency"] == "CNY"
    assert row["image"].startswith("http://testserver/media/")
    assert row["in_stock"] is True


def test_product_list_hides_inactive_products_and_suspended_shops(api_client):
    """Only active products of active shops with an active SKU are listed."""
    shown = SKUFactory().product
    SKUFactory(product=ProductFactory(active=False))
    SKUFactory(product=ProductFactory(merchant=MerchantFactory(status=Merchant.Status.SUSPENDED)))
    SKUFactory(active=False)
    ids = [row["id"] for row in _results(api_client.get("/api/v1/products"))]
    assert ids == [shown.pk]


def test_category_filter_includes_descendants(api_client):
    """?category=fruit lists products on fruit and on citrus, by slug or by id."""
    fruit = Category.objects.get(slug="fruit")
    citrus = Category.objects.get(slug="citrus")
    on_fruit = SKUFactory(product__category=fruit).product
    on_citrus = SKUFactory(product__category=citrus).product
    SKUFactory(product__category=Category.objects.get(slug="tea"))
    by_slug = {row["id"] for row in _results(api_client.get("/api/v1/products?category=fruit"))}
    by_id = {row["id"] for row in _results(api_client.get(f"/api/v1/products?category={fruit.pk}"))}
    assert by_slug == by_id == {on_fruit.pk, on_citrus.pk}


def test_unknown_category_gives_empty_list(api_client):
    """A filter on a category that does not exist matches nothing (not a 500, not everything)."""
    SKUFactory()
    assert _results(api_client.get("/api/v1/products?category=nope")) == []


def test_merchant_filter(api_client):
    """?merchant= takes the shop's id or slug."""
    mine = SKUFactory().product
    SKUFactory()
    rows = _results(api_client.get(f"/api/v1/products?merchant={mine.merchant_id}"))
    assert [row["id"] for row in rows] == [mine.pk]
    rows = _results(api_client.get(f"/api/v1/products?merchant={mine.merchant.slug}"))
    assert [row["id"] for row in rows] == [mine.pk]


def test_text_search_in_name_and_description(api_client):
    """?q= matches the name or the description, case-insensitively."""
    by_name = SKUFactory(product__name="Sweet Mango").product
    by_text = SKUFactory(product__description="Tastes of mango and cream").product
    SKUFactory(product__name="Sourdough")
    rows = _results(api_client.get("/api/v1/products?q=MANGO"))
    assert {row["id"] for row in rows} == {by_name.pk, by_text.pk}


def test_price_ordering_both_ways(api_client):
    """?ordering=price sorts by lowest price ascending, -price descending."""
    cheap = SKUFactory(price=100).product
    dear = SKUFactory(price=900).product
    middle = SKUFactory(price=500).product
    asc = [row["id"] for row in _results(api_client.get("/api/v1/products?ordering=price"))]
    desc = [row["id"] for row in _results(api_client.get("/api/v1/products?ordering=-price"))]
    assert asc == [cheap.pk, middle.pk, dear.pk]
    assert desc == [dear.pk, middle.pk, cheap.pk]


def test_newest_first_by_default(api_client):
    """Without ordering, the newest product comes first."""
    older = SKUFactory().product
    newer = SKUFactory().product
    assert [row["id"] for row in _results(api_client.get("/api/v1/products"))] == [
        newer.pk,
        older.pk,
    ]


def test_in_stock_filter(api_client):
    """?in_stock=1 drops products whose active SKUs are all fully reserved or empty."""
    stocked = SKUFactory(on_hand=3, reserved=2).product
    SKUFactory(on_hand=4, reserved=4)
    SKUFactory(on_hand=0)
    rows = _results(api_client.get("/api/v1/products?in_stock=1"))
    assert [row["id"] for row in rows] == [stocked.pk]
    assert len(_results(api_client.get("/api/v1/products"))) == 3


def test_bad_ordering_is_a_400(api_client):
    """An unknown ordering is refused in the error shape."""
    response = api_client.get("/api/v1/products?ordering=drop table")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_product_list_query_count_is_bounded(api_client, django_assert_max_num_queries):
    """A page of 20 products with pictures and several SKUs costs a fixed number of queries."""
    for _ in range(20):
        product = SKUFactory().product
        SKUFactory(product=product, price=200)
        ProductImageFactory(product=product)
    with django_assert_max_num_queries(3):
        rows = _results(api_client.get("/api/v1/products"))
    assert len(rows) == 20


def test_product_detail_shape(api_client):
    """Detail: description, category, images, and active SKUs with availability and dates."""
    product = ProductFactory(description="Juicy")
    sku = SKUFactory(
        product=product,
        price=1999,
        on_hand=7,
        reserved=2,
        best_before="2030-01-31",
        harvest_date="2029-12-30",
    )
    SKUFactory(product=product, active=False)
    ProductImageFactory(product=product)
    data = api_client.get(f"/api/v1/products/{product.pk}").json()
    assert data["description"] == "Juicy"
    assert data["category"]["slug"] == product.category.slug
    assert len(data["images"]) == 1
    assert data["skus"] == [
        {
            "id": sku.pk,
            "name": sku.name,
            "price": "19.99",
            "currency": "CNY",
            "available": 5,
            "best_before": "2030-01-31",
            "harvest_date": "2029-12-30",
        }
    ]


def test_product_detail_query_count(api_client, django_assert_max_num_queries):
    """The detail page's data costs a fixed number of queries."""
    product = ProductFactory()
    for _ in range(5):
        SKUFactory(product=product)
        ProductImageFactory(product=product)
    with django_assert_max_num_queries(4):
        assert api_client.get(f"/api/v1/products/{product.pk}").status_code == 200


@pytest.mark.parametrize("case", ["inactive", "suspended", "missing"])
def test_product_detail_404_for_what_is_not_for_sale(api_client, case):
    """An inactive product, a suspended shop's product or an unknown id is a 404."""
    product = SKUFactory().product
    if case == "inactive":
        product.active = False
        product.save()
    elif case == "suspended":
        Merchant.objects.filter(pk=product.merchant_id).update(status=Merchant.Status.SUSPENDED)
    product_id = product.pk if case != "missing" else product.pk + 100
    response = api_client.get(f"/api/v1/products/{product_id}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
