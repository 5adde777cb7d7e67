"""Operators' admin for payouts (approve / reject) and the audit export (CSV).

Payouts are read-only rows: money moves only through the actions, which call the services
(each decision audited there). The export is a staff-only page under the payouts' admin.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from backend.admin_readonly import ReadOnlyAdmin
from backend.errors import ApplicationError
from rewards import audit_export, payouts
from rewards.models import Payout, PayoutStatus


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=Payout._meta.get_field("reject_reason").max_length,
        help_text="Shown to the sharer.",
    )


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("commissions", "Commissions"), ("entries", "Ledger entries")]
    )
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To (included)", widget=forms.DateInput(attrs={"type": "date"}))


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "sharer",
        "amount",
        "currency",
        "status",
        "method",
        "real_name",
        "requested_at",
        "decided_at",
        "decided_by",
        "paid_at",
    )
    list_filter = ("status", "method")
    search_fields = ("=id", "sharer__username", "real_name", "account")
    list_select_related = ("sharer", "decided_by")
    date_hierarchy = "requested_at"
    actions = ("approve", "reject")

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [
            path("audit-export/", export, name="rewards_payout_audit_export"),
            *super().get_urls(),
        ]

    def has_decide_permission(self, request: HttpRequest) -> bool:
        # The rows stay read-only; deciding is what "change" means for a payout.
        return request.user.has_perm("rewards.change_payout")

    def _waiting(self, queryset):
        return queryset.filter(status=PayoutStatus.REQUESTED, decided_at__isnull=True)

    @admin.action(description="Approve: pay the selected payouts", permissions=["decide"])
    def approve(self, request: HttpRequest, queryset) -> None:
        done = 0
        for payout in self._waiting(queryset).order_by("requested_at", "id"):
            try:
                payouts.payout_approve(payout=payout, operator=request.user)
            except ApplicationError as error:
                self.message_user(request, f"Payout #{payout.pk}: {error.message}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} payout(s) approved.", messages.SUCCESS)

    @admin.action(
        description="Reject the selected payouts (asks for a reason)", permissions=["decide"]
    )
    def reject(self, request: HttpRequest, queryset) -> TemplateResponse | None:
        waiting = self._waiting(queryset)
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = 0
            for payout in waiting:
                try:
                    payouts.payout_reject(
                        payout=payout, operator=request.user, reason=form.cleaned_data["reason"]
                    )
                except ApplicationError as error:
                    self.message_user(
                        request, f"Payout #{payout.pk}: {error.message}", messages.ERROR
                    )
                else:
                    done += 1
            self.message_user(request, f"{done} payout(s) rejected.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject payouts",
            "opts": self.model._meta,
            "payouts": waiting,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/rewards/payout/reject.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """GET with kind, start and end: the CSV; without them (or wrong): the form."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ExportForm(request.GET if request.GET else None)
        if form.is_bound and form.is_valid():
            kind, start, end = (form.cleaned_data[name] for name in ("kind", "start", "end"))
            try:
                lines = audit_export.csv_lines(kind, start, end)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
                filename = f"{kind}-{start.isoformat()}-{end.isoformat()}.csv"
                response["Content-Disposition"] = f'attachment; filename="{filename}"'
                return response
        context = {
            **self.admin_site.each_context(request),
            "title": "Audit export",
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/rewards/audit_export.html", context)
