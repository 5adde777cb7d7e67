"""Operators' admin for orders: the list, and each order with its lines and timeline.

Read-only: a status moves only through the order services (which check the transition table,
release stock and publish events), never through a form.
"""

from django.contrib import admin

from backend.admin_readonly import ReadOnlyAdmin, ReadOnlyInline
from backend.money import format_amount
from commerce.models import Order, OrderEvent, OrderLine


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = (
        "product_name",
        "sku_name",
        "unit_price_display",
        "quantity",
        "discount_display",
        "net_display",
        "refunded_quantity",
        "refunded_display",
    )
    readonly_fields = fields

    @admin.display(description="unit price")
    def unit_price_display(self, line: OrderLine) -> str:
        return format_amount(line.unit_price)

    @admin.display(description="discount")
    def discount_display(self, line: OrderLine) -> str:
        return format_amount(line.discount)

    @admin.display(description="net")
    def net_display(self, line: OrderLine) -> str:
        return format_amount(line.net_amount)

    @admin.display(description="refunded")
    def refunded_display(self, line: OrderLine) -> str:
        return format_amount(line.refunded_amount)


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    verbose_name_plural = "timeline"
    fields = ("created_at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("id", "buyer", "merchant", "status", "total_display", "created_at", "paid_at")
    list_filter = ("status", "merchant")
    search_fields = ("=id", "buyer__username", "merchant__name")
    list_select_related = ("buyer", "merchant")
    date_hierarchy = "created_at"
    fields = (
        "buyer",
        "merchant",
        "payment",
        "status",
        "currency",
        "subtotal_display",
        "discount_display",
        "shipping_display",
        "total_display",
        "address",
        "created_at",
        "paid_at",
        "cancelled_at",
    )
    readonly_fields = fields
    inlines = [OrderLineInline, OrderEventInline]

    @admin.display(description="subtotal")
    def subtotal_display(self, order: Order) -> str:
        return format_amount(order.subtotal)

    @admin.display(description="discount")
    def discount_display(self, order: Order) -> str:
        return format_amount(order.discount)

    @admin.display(description="shipping")
    def shipping_display(self, order: Order) -> str:
        return format_amount(order.shipping)

    @admin.display(description="total", ordering="total")
    def total_display(self, order: Order) -> str:
        return f"{format_amount(order.total)} {order.currency}"
