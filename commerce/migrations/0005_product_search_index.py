"""The full-text index product search reads (commerce.catalog.selectors.search_products), on
PostgreSQL only.

The expression is the one Django writes for `SearchVector("name", "description",
config="simple")`, so the planner uses the index. SQLite searches by substring and has nothing
to index.
"""

from django.db import migrations

INDEX = "product_text_search_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON commerce_product USING gin "
        "(to_tsvector('simple'::regconfig, "
        "COALESCE(name, '') || ' ' || COALESCE(description, '')))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0004_shipping_and_refunds"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
