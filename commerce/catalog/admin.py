"""Operators' admin for shops, staff, categories, products (with SKUs) and pictures."""

from django.contrib import admin, messages

from commerce.catalog.services import merchant_set_status
from commerce.models import SKU, Category, Merchant, MerchantStaff, Product, ProductImage


class MerchantStaffInline(admin.TabularInline):
    model = MerchantStaff
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "owner", "status", "shipping_fee", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "slug", "owner__username")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    # Status changes go through the audited actions below, never the edit form.
    readonly_fields = ("status", "created_at")
    inlines = [MerchantStaffInline]
    actions = ["suspend", "reactivate"]

    def _set_status(self, request, queryset, status: str) -> None:
        for merchant in queryset:
            merchant_set_status(merchant=merchant, actor=request.user, status=status)
        self.message_user(request, f"{queryset.count()} shop(s) now {status}.", messages.SUCCESS)

    @admin.action(description="Suspend the selected shops (their products cannot be bought)")
    def suspend(self, request, queryset):
        self._set_status(request, queryset, Merchant.Status.SUSPENDED)

    @admin.action(description="Reactivate the selected shops")
    def reactivate(self, request, queryset):
        self._set_status(request, queryset, Merchant.Status.ACTIVE)


@admin.register(MerchantStaff)
class MerchantStaffAdmin(admin.ModelAdmin):
    list_display = ("user", "merchant", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "merchant__name")
    list_select_related = ("user", "merchant")
    raw_id_fields = ("user", "merchant")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent", "position")
    list_filter = ("parent",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("parent",)


class SKUInline(admin.TabularInline):
    model = SKU
    extra = 0
    # Stock moves through the audited services (console and API) and checkout's guarded updates.
    readonly_fields = ("on_hand", "reserved")
    fields = ("name", "price", "on_hand", "reserved", "harvest_date", "best_before", "active")


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ("image", "width", "height", "position")
    readonly_fields = ("width", "height")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "merchant", "category", "active", "commission_rate_bp", "created_at")
    list_filter = ("active", "category")
    search_fields = ("name", "merchant__name")
    list_select_related = ("merchant", "category")
    raw_id_fields = ("merchant",)
    inlines = [SKUInline, ProductImageInline]

    def has_delete_permission(self, request, obj=None):
        # Order lines refer to products: they are deactivated, never deleted.
        return False


@admin.register(ProductImage)
class ProductImageAdmin(admin.ModelAdmin):
    list_display = ("product", "position", "width", "height")
    list_select_related = ("product",)
    raw_id_fields = ("product",)
