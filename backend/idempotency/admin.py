from django.contrib import admin

from backend.admin_readonly import ReadOnlyAdmin
from backend.idempotency.models import IdempotencyRecord


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "scope", "key", "status_code"]
    list_filter = ["scope"]
    search_fields = ["key", "user__username"]
    readonly_fields = [field.name for field in IdempotencyRecord._meta.fields]

    def has_delete_permission(self, request, obj=None) -> bool:
        # A record is only a cached answer (the purge job drops it after its window anyway):
        # deleting one early lets an operator free a key that a client is stuck on.
        return admin.ModelAdmin.has_delete_permission(self, request, obj)
