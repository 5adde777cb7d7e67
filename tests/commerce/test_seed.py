"""`manage.py seed_demo`'s shop step: three shops, ~40 pictured products, paid demo orders."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from PIL import Image

from commerce.models import (
    SKU,
    Merchant,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentStatus,
    Product,
    ProductImage,
    Refund,
    RefundStatus,
    Shipment,
    WebhookEvent,
)
from commerce.seed_data import SHOPS
from commerce.seed_images import SIZE, product_picture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seed_only_up_to_this_app(monkeypatch):
    """Later apps' steps (posts draw and process pictures) have their own tests; leaving them
    out keeps these runs fast without changing what they check."""
    from backend.accounts.management.commands import seed_demo

    monkeypatch.setattr(
        seed_demo, "SEED_STEPS", ["backend.accounts.seed.seed_people", "commerce.seed.seed_shop"]
    )


COUNTED = (
    Merchant,
    Product,
    SKU,
    ProductImage,
    Order,
    OrderLine,
    Payment,
    WebhookEvent,
    Shipment,
    Refund,
)


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def counts() -> dict[str, int]:
    return {
        **{model.__name__: model.objects.count() for model in COUNTED},
        "reserved": SKU.objects.aggregate(total=Sum("reserved"))["total"],
    }


def test_seed_twice_changes_nothing_the_second_time():
    """The second run finds the shops, products and orders in place and adds nothing."""
    seed()
    first = counts()

    seed()

    assert counts() == first
    assert first["Merchant"] == 3
    assert 35 <= first["Product"] <= 45


def test_shops_belong_to_demo_shopkeepers_with_products_of_one_to_three_skus():
    """Each shop is owned by its demo user, and every product sells 1–3 priced, stocked SKUs."""
    seed()

    owners = set(Merchant.objects.values_list("owner__username", flat=True))
    assert owners == {shop.owner for shop in SHOPS}
    sku_counts = Counter(SKU.objects.values_list("product_id", flat=True))
    assert set(sku_counts) == set(Product.objects.values_list("pk", flat=True))
    assert set(sku_counts.values()) <= {1, 2, 3}
    assert not SKU.objects.filter(price=0).exists()
    assert not SKU.objects.filter(on_hand=0).exists()


def test_fruit_has_harvest_and_best_before_dates_in_that_order():
    """Fruit SKUs carry a harvest date before their best-before date; pantry goods keep."""
    seed()

    fruit = SKU.objects.filter(product__category__parent__slug="fruit")
    assert fruit.exists()
    for sku in fruit:
        assert sku.harvest_date is not None
        assert sku.harvest_date < sku.best_before
    assert SKU.objects.filter(product__category__slug="rice-grains", best_before=None).exists()


def test_every_product_has_one_drawn_picture_in_storage():
    """Each product's gallery holds a picture that decodes, stored through the catalog."""
    seed()

    assert ProductImage.objects.count() == Product.objects.count()
    for image in ProductImage.objects.all():
        with image.image.open("rb") as stored, Image.open(stored) as picture:
            assert picture.size == (SIZE, SIZE) == (image.width, image.height)


def test_demo_orders_are_in_every_state_with_their_stock_right():
    """Paid through the sandbox, then shipped, delivered, completed, refunded (partly, wholly) or
    cancelled through the real services; only units not shipped nor refunded stay reserved."""
    seed()

    orders = Order.objects.all()
    assert set(orders.values_list("status", flat=True)) == set(OrderStatus.values) - {
        OrderStatus.PENDING_PAYMENT
    }
    shipped = orders.filter(shipment__isnull=False)
    assert set(shipped.values_list("status", flat=True)) == {
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.COMPLETED,
        OrderStatus.PARTIALLY_REFUNDED,
    }
    assert orders.get(status=OrderStatus.COMPLETED).completed_at is not None
    assert set(Refund.objects.values_list("status", flat=True)) == {RefundStatus.REFUNDED}
    whole = Refund.objects.get(order__status=OrderStatus.REFUNDED)
    assert whole.amount + whole.shipping_amount == whole.order.total
    paid = Payment.objects.exclude(orders__status=OrderStatus.CANCELLED)
    assert set(paid.values_list("status", flat=True)) == {PaymentStatus.SUCCEEDED}
    held = (
        OrderLine.objects.filter(order__shipment__isnull=True)
        .exclude(order__status=OrderStatus.CANCELLED)
        .values("sku")
        .annotate(units=Sum(F("quantity") - F("refunded_quantity")))
    )
    assert {row["sku"]: row["units"] for row in held if row["units"]} == dict(
        SKU.objects.filter(reserved__gt=0).values_list("pk", "reserved")
    )


def test_product_picture_is_the_same_for_the_same_name_and_differs_by_name():
    """Pictures are deterministic per product name, 800×800 JPEGs."""
    first = product_picture(name="Lychees", shape="round", colour=(214, 70, 80))
    again = product_picture(name="Lychees", shape="round", colour=(214, 70, 80))
    other = product_picture(name="Lychee honey", shape="round", colour=(214, 70, 80))

    assert first == again
    assert first != other
    with Image.open(io.BytesIO(first)) as picture:
        assert (picture.format, picture.size) == ("JPEG", (SIZE, SIZE))
