from django.conf import settings
from django.db import models
from django.db.models import F, Q

from commerce.models.catalog import SKU, Category, Product
from commerce.models.merchants import Merchant


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", "Waiting for payment"
    PAID = "paid", "Paid"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"


class Order(models.Model):
    """One shop's part of a checkout. Amounts in minor units, exact: total = subtotal - discount
    + shipping, and subtotal/discount are the sums of the lines'."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="orders")
    payment = models.ForeignKey("commerce.Payment", on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT
    )
    currency = models.CharField(max_length=3)
    subtotal = models.PositiveIntegerField()
    discount = models.PositiveIntegerField(default=0)
    shipping = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField()
    address = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The return window runs from delivery; complete_orders reads it.
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="order_buyer_time"),
            models.Index(
                fields=["merchant", "status", "-created_at"], name="order_merchant_status"
            ),
            models.Index(fields=["status", "created_at"], name="order_status_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") - F("discount") + F("shipping")),
                name="order_total_adds_up",
            )
        ]

    def __str__(self) -> str:
        return f"Order {self.pk}"


class OrderLine(models.Model):
    """What was bought, frozen at checkout: later catalog changes touch nothing here."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    sku = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(max_length=120)
    sku_name = models.CharField(max_length=80)
    category_name = models.CharField(max_length=60)
    merchant_name = models.CharField(max_length=80)
    unit_price = models.PositiveIntegerField()
    quantity = models.PositiveIntegerField()
    discount = models.PositiveIntegerField(default=0)
    net_amount = models.PositiveIntegerField()
    refunded_quantity = models.PositiveIntegerField(default=0)
    refunded_amount = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(net_amount=F("unit_price") * F("quantity") - F("discount")),
                name="order_line_net_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(refunded_quantity__lte=F("quantity"))
                & Q(refunded_amount__lte=F("net_amount")),
                name="order_line_refund_within_line",
            ),
        ]


class OrderEvent(models.Model):
    """The order's timeline: every status change, with who made it and why."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Shipment(models.Model):
    """How an order left the shop; shipping it deducts its reserved stock from on_hand."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="shipment")
    carrier = models.CharField(max_length=60)
    tracking_number = models.CharField(max_length=60)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shipped_at = models.DateTimeField(auto_now_add=True)


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved, money on its way"
    REJECTED = "rejected", "Rejected"
    REFUNDED = "refunded", "Refunded"


class Refund(models.Model):
    """A buyer's request to get money back for some units of an order, and the shop's decision.

    `amount` is the goods refunded (Σ of its lines); `shipping_amount` is the shipping refunded,
    only when the whole order is refunded before it ships.
    """

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=RefundStatus.choices, default=RefundStatus.REQUESTED
    )
    reason = models.CharField(max_length=500)
    amount = models.PositiveIntegerField()
    shipping_amount = models.PositiveIntegerField(default=0)
    payment_refund = models.OneToOneField(
        "commerce.PaymentRefund", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["order", "status"], name="refund_order_status")]


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.PROTECT, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="refund_lines")
    quantity = models.PositiveIntegerField()
    amount = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="refund_line_quantity_positive"
            )
        ]
