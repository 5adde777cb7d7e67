from django.contrib import admin

from backend.admin_readonly import ReadOnlyAdmin
from backend.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the trail is evidence, so nobody edits or deletes it from here."""

    list_display = ("created_at", "actor", "action", "target_type", "target_id")
    list_filter = ("action", "target_type")
    search_fields = ("target_id", "actor__username", "action")
    list_select_related = ("actor",)
    date_hierarchy = "created_at"
