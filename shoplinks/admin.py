"""Operators' admin of share-link taps, for reviewing the flagged ones (bots, duplicates, rate
limited) that neither figures nor attribution count. Read-only: the click log is evidence."""

from django.contrib import admin

from backend.admin_readonly import ReadOnlyAdmin
from shoplinks.models import Click


class FlagFilter(admin.SimpleListFilter):
    title = "flag"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [
            ("any", "Any flag (not counted)"),
            ("bot", "Bot"),
            ("duplicate", "Duplicate"),
            ("rate_limited", "Rate limited"),
            ("none", "Not flagged (counted)"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "any":
                return queryset.filter(counted=False)
            case "bot":
                return queryset.filter(is_bot=True)
            case "duplicate":
                return queryset.filter(is_duplicate=True)
            case "rate_limited":
                return queryset.filter(is_rate_limited=True)
            case "none":
                return queryset.filter(counted=True)
        return queryset


@admin.register(Click)
class ClickAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "clicked_at",
        "link",
        "sharer",
        "user",
        "visitor_id",
        "agent_class",
        "is_bot",
        "is_duplicate",
        "is_rate_limited",
        "counted",
    )
    list_filter = (FlagFilter, "agent_class")
    search_fields = ("=id", "link__code", "sharer__username", "user__username", "visitor_id")
    list_select_related = ("link", "sharer", "user")
    date_hierarchy = "clicked_at"
    ordering = ("-clicked_at", "-id")
    show_full_result_count = False
