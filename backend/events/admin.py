"""Operators see every event's delivery and every handler's failures, and can retry them.

Read-only: the outbox is history, only the dispatcher writes it.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import ngettext

from backend.admin_readonly import ReadOnlyAdmin, ReadOnlyInline
from backend.events import services
from backend.events.models import Event, HandlerRun

FAILED = HandlerRun.Status.FAILED


class DeliveryFilter(admin.SimpleListFilter):
    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("delivered", "delivered"),
            ("waiting", "not delivered yet"),
            ("failing", "a handler failing"),
            ("gave_up", "a handler gave up"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "delivered":
            return queryset.filter(delivered_at__isnull=False)
        if value == "waiting":
            return queryset.filter(delivered_at__isnull=True)
        if value == "failing":
            return queryset.filter(runs__status=FAILED).distinct()
        if value == "gave_up":
            gave_up = Q(runs__status=FAILED, runs__next_attempt_at__isnull=True)
            return queryset.filter(gave_up).distinct()
        return queryset


class HandlerRunInline(ReadOnlyInline):
    model = HandlerRun
    fields = ["handler", "status", "attempts", "next_attempt_at", "finished_at", "last_error"]
    readonly_fields = fields


@admin.action(description="Retry delivery now (failed handlers too)")
def retry_events(modeladmin, request, queryset):
    _retry(modeladmin, request, queryset.values_list("pk", flat=True))


@admin.action(description="Retry these handlers' events now")
def retry_runs(modeladmin, request, queryset):
    _retry(modeladmin, request, queryset.values_list("event_id", flat=True).distinct())


def _retry(modeladmin, request, event_ids):
    queued = services.events_retry(event_ids=event_ids)
    modeladmin.message_user(
        request,
        ngettext("%d undelivered event queued.", "%d undelivered events queued.", queued) % queued,
        messages.SUCCESS,
    )


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["id", "name", "created_at", "delivered_at", "state"]
    list_filter = [DeliveryFilter, "name"]
    search_fields = ["name"]
    date_hierarchy = "created_at"
    fields = ["name", "payload", "created_at", "delivered_at"]
    inlines = [HandlerRunInline]
    actions = [retry_events]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                failing=Count("runs", filter=Q(runs__status=FAILED)),
                gave_up=Count("runs", filter=Q(runs__status=FAILED, runs__next_attempt_at=None)),
            )
        )

    @admin.display(description="state")
    def state(self, event):
        if event.delivered_at:
            return "delivered"
        if event.gave_up:
            return f"{event.gave_up} handler(s) gave up"
        if event.failing:
            return f"{event.failing} handler(s) failing, retrying"
        return "waiting"


@admin.register(HandlerRun)
class HandlerRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "event", "handler", "status", "attempts", "next_attempt_at", "error"]
    list_filter = ["status", "handler"]
    list_select_related = ["event"]
    search_fields = ["handler", "event__name"]
    fields = [
        "event",
        "handler",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
        "finished_at",
        "last_error",
    ]
    actions = [retry_runs]

    @admin.display(description="last error")
    def error(self, run):
        # The exception line ends the traceback; the full text is on the run's page.
        lines = run.last_error.strip().splitlines()
        return lines[-1][:200] if lines else ""
