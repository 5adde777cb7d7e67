"""Writing buffered clicks: one multi-row statement per chunk, each click at most once.

This is the bulk path of every tap, so it skips model instances: building 12-field Click
objects and letting bulk_create prepare them costs more than the INSERT itself (bench
bench_click_ingest). The statement is what bulk_create(ignore_conflicts=True) would send, made
stricter: `ON CONFLICT (uid) DO NOTHING` skips only a click written before (SQLite's
INSERT OR IGNORE would also swallow any other constraint failure). Values go through the
database's own adapters, so rows are stored exactly as the ORM stores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import connection

from shoplinks.models import Click

# The buffer's record order (see buffer.ClickRecord), then `counted`, derived here.
FIELDS = (
    "uid",
    "link",
    "product",
    "sharer",
    "user",
    "visitor_id",
    "clicked_at",
    "agent_class",
    "is_bot",
    "is_duplicate",
    "is_rate_limited",
    "counted",
)


def _statement() -> str:
    meta, quote = Click._meta, connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in FIELDS)
    values = ", ".join(["%s"] * len(FIELDS))
    uid = quote(meta.get_field("uid").column)
    return (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values})"
        f" ON CONFLICT ({uid}) DO NOTHING"
    )


def insert_clicks(records: Sequence[tuple]) -> None:
    """Insert the buffered `records`, skipping any whose uid is stored already."""
    prepare_uid = Click._meta.get_field("uid").get_db_prep_value
    adapt_time = connection.ops.adapt_datetimefield_value
    rows = [
        (
            prepare_uid(uid, connection),
            link,
            product,
            sharer,
            user,
            visitor,
            adapt_time(datetime.fromtimestamp(at, UTC)),
            agent,
            bot,
            duplicate,
            limited,
            not (bot or duplicate or limited),
        )
        for uid, link, product, sharer, user, visitor, at, agent, bot, duplicate, limited in records
    ]
    with connection.cursor() as cursor:
        cursor.executemany(_statement(), rows)
