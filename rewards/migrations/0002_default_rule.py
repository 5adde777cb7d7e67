"""The default rule (REWARDS_DEFAULT_RATE_BP, in force since long before any sale) and the
history of the shops' product rates set before rewards kept it (from the product's creation)."""

from datetime import UTC, datetime

from django.conf import settings
from django.db import migrations

SINCE = datetime(2000, 1, 1, tzinfo=UTC)


def forwards(apps, schema_editor):
    rule = apps.get_model("rewards", "CommissionRule")
    product = apps.get_model("commerce", "Product")
    if not rule.objects.filter(scope="default").exists():
        rule.objects.create(
            scope="default", rate_bp=settings.REWARDS_DEFAULT_RATE_BP, valid_from=SINCE
        )
    recorded = set(rule.objects.filter(scope="product").values_list("product_id", flat=True))
    rule.objects.bulk_create(
        rule(scope="product", product_id=pk, rate_bp=rate, valid_from=created_at)
        for pk, rate, created_at in product.objects.filter(
            commission_rate_bp__isnull=False
        ).values_list("pk", "commission_rate_bp", "created_at")
        if pk not in recorded
    )


def backwards(apps, schema_editor):
    apps.get_model("rewards", "CommissionRule").objects.filter(
        scope="default", valid_from=SINCE
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rewards", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
