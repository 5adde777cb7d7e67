"""Typo-tolerant people search (accounts.selectors.search), on PostgreSQL only: the pg_trgm
extension and trigram indexes on the upper-cased username and display name.

Upper-cased because both the similarity filter and Django's `istartswith` compare
`UPPER(column)`: one index per column serves both. Trigrams ignore case, so nothing is lost.
SQLite matches by prefix and has nothing to index.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "user_username_trgm_idx": "username",
    "user_display_name_trgm_idx": "display_name",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON accounts_user "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
