"""Django admin for operators: rules and campaigns here; payouts and the audit export in
admin_payouts (registered by importing it).

Rules are history: the admin only adds them, through `rules.rule_set`, which closes the rule in
force for the same target and audits the change. Campaigns are edited in place (they are
time-boxed by their own dates); every save and delete leaves an audit row.
"""

from django.contrib import admin
from django.utils import timezone

from backend.audit.services import audit_record
from rewards import admin_payouts  # noqa: F401
from rewards.models import Campaign, CommissionRule
from rewards.rules import rule_set


@admin.register(CommissionRule)
class CommissionRuleAdmin(admin.ModelAdmin):
    list_display = ("scope", "category", "product", "rate_bp", "valid_from", "valid_to")
    list_filter = ("scope",)
    list_select_related = ("category", "product")
    search_fields = ("product__name", "category__name")
    raw_id_fields = ("product",)
    fields = ("scope", "category", "product", "rate_bp", "valid_from")

    def get_changeform_initial_data(self, request):
        return {"valid_from": timezone.now()}

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        rule = rule_set(
            scope=obj.scope,
            rate_bp=obj.rate_bp,
            at=obj.valid_from,
            category=obj.category,
            product=obj.product,
            actor=request.user,
        )
        # The admin redirects to the saved object: hand it the row rule_set kept.
        obj.pk = rule.pk if rule is not None else None


def _campaign_state(campaign: Campaign) -> dict:
    return {
        "name": campaign.name,
        "rate_bp": campaign.rate_bp,
        "starts_at": campaign.starts_at,
        "ends_at": campaign.ends_at,
        "products": sorted(campaign.products.values_list("pk", flat=True)),
        "categories": sorted(campaign.categories.values_list("pk", flat=True)),
        "merchants": sorted(campaign.merchants.values_list("pk", flat=True)),
    }


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "rate_bp", "starts_at", "ends_at", "created_by")
    list_select_related = ("created_by",)
    search_fields = ("name",)
    filter_horizontal = ("products", "categories", "merchants")
    exclude = ("created_by",)

    def save_model(self, request, obj, form, change):
        if change:
            request._campaign_before = _campaign_state(Campaign.objects.get(pk=obj.pk))
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        campaign = form.instance
        audit_record(
            actor=request.user,
            action="campaign.update" if change else "campaign.create",
            target=campaign,
            before=getattr(request, "_campaign_before", {}),
            after=_campaign_state(campaign),
        )

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user,
            action="campaign.delete",
            target=obj,
            before=_campaign_state(obj),
            after={},
        )
        super().delete_model(request, obj)
