"""Read-only admin views: operators inspect the ledger; only services write to it."""

from django.contrib import admin

from backend.admin_readonly import ReadOnlyAdmin, ReadOnlyInline
from backend.ledger.models import Account, Entry, Transaction


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "owner_id", "currency", "balance", "non_negative", "created_at"]
    list_filter = ["kind", "non_negative", "currency"]
    search_fields = ["=owner_id"]
    ordering = ["kind", "owner_id"]


class EntryInline(ReadOnlyInline):
    model = Entry
    fields = ["account", "amount"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account")


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "description", "reference", "idempotency_key"]
    search_fields = ["idempotency_key", "reference", "description"]
    date_hierarchy = "created_at"
    ordering = ["-id"]
    inlines = [EntryInline]
