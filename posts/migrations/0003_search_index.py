"""The full-text index search reads (posts.selectors.search), on PostgreSQL only.

The expression is the one Django writes for `SearchVector("text", config="simple")`, so the
planner uses the index; the condition is the one every search query holds (published, not
deleted). SQLite searches by substring and has nothing to index.
"""

from django.db import migrations

INDEX = "post_text_search_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON posts_post "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(text, ''))) "
        "WHERE status = 'published' AND deleted_at IS NULL"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0002_card_snapshot"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
