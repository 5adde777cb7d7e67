from django.db import models
from django.db.models import F, Q

from commerce.models.merchants import Merchant


class Category(models.Model):
    """A node of the category tree; products may sit on any node, leaf or not."""

    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=70, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """Never deleted (order lines refer to it): deactivated instead."""

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=5000)
    active = models.BooleanField(default=True)
    # The shop's commission rate for this product, in basis points (rewards applies the cap).
    commission_rate_bp = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["merchant", "active"], name="product_merchant_active"),
            models.Index(fields=["category", "active"], name="product_category_active"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_rate_bp__isnull=True) | Q(commission_rate_bp__lte=10000),
                name="product_commission_rate_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="products/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class SKU(models.Model):
    """A sellable variant with its stock. `reserved` is held by unpaid and unshipped orders."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="skus")
    name = models.CharField(max_length=80)
    price = models.PositiveIntegerField()
    on_hand = models.PositiveIntegerField(default=0)
    reserved = models.PositiveIntegerField(default=0)
    harvest_date = models.DateField(null=True, blank=True)
    best_before = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "SKU"
        ordering = ["product_id", "price", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")), name="sku_reserved_le_on_hand"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.name}"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved
