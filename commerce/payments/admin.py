"""Operators' admin for payments (with their orders), refunds, webhook events and the sandbox
gateway's book. Read-only: money moves through the provider and its webhooks, never a form."""

from django.contrib import admin

from backend.admin_readonly import ReadOnlyAdmin, ReadOnlyInline
from commerce.models import Order, Payment, PaymentRefund, SandboxOperation, WebhookEvent


class OrderInline(ReadOnlyInline):
    model = Order
    fields = ("id", "merchant", "status", "total", "created_at", "paid_at", "cancelled_at")
    readonly_fields = fields
    show_change_link = True


class RefundInline(ReadOnlyInline):
    model = PaymentRefund
    fields = ("id", "amount", "status", "reason", "provider_ref", "created_at", "settled_at")
    readonly_fields = fields


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("id", "buyer", "amount", "currency", "provider", "status", "created_at")
    list_filter = ("status", "provider")
    search_fields = ("=id", "buyer__username", "provider_ref")
    list_select_related = ("buyer",)
    date_hierarchy = "created_at"
    inlines = [OrderInline, RefundInline]


@admin.register(PaymentRefund)
class PaymentRefundAdmin(ReadOnlyAdmin):
    list_display = ("id", "payment", "amount", "status", "reason", "created_at", "settled_at")
    list_filter = ("status",)
    search_fields = ("=id", "=payment__id", "reason")


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "provider", "type", "status", "received_at", "processed_at")
    list_filter = ("provider", "type", "status")
    search_fields = ("event_id",)
    date_hierarchy = "received_at"


@admin.register(SandboxOperation)
class SandboxOperationAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "kind", "subject_id", "outcome", "amount", "created_at")
    list_filter = ("kind", "outcome")
    search_fields = ("=event_id", "=subject_id")
