"""Read-only Django admin bases for records that only services write (ledger, outbox, audit
trail, payments, orders): operators inspect them and act through admin actions, never forms.

The permission hooks take `obj=None` so one signature serves both `ModelAdmin` (which calls
`has_add_permission(request)`) and inlines (which pass the parent object).
"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
