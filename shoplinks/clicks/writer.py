"""Writing buffered clicks: one multi-row statement per chunk, each click at most once.

This is the bulk path of every tap, so it skips model instances: building 12-field Click
objects and letting bulk_create prepare them costs more than the INSERT itself (bench
bench_click_ingest). The statement is what bulk_create(ignore_conflicts=True) would send, made
stricter: `ON CONFLICT (uid) DO NOTHING` skips only a click written before (SQLite's
INSERT OR IGNORE would also swallow any other constraint failure). Values go through the
database's own adapters (or, on SQLite, their exact equivalent), so rows are stored exactly as
the ORM stores them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


def _preparers() -> tuple[Callable, Callable]:
    """How this database takes a click's uid (a hex string) and time (POSIX seconds).

    SQLite stores both as text: the hex itself, and the naive UTC time as str() gives it, which
    is what the ORM writes there (connection.ops.adapt_datetimefield_value); the general path
    costs more than the INSERT on SQLite, so it is taken only elsewhere.
    """
    if connection.vendor == "sqlite":
        return str, lambda at: str(datetime.fromtimestamp(at, UTC).replace(tzinfo=None))
    prepare_uid = Click._meta.get_field("uid").get_db_prep_value
    adapt_time = connection.ops.adapt_datetimefield_value
    return (
        lambda uid: prepare_uid(uid, connection),
        lambda at: adapt_time(datetime.fromtimestamp(at, UTC)),
    )


def insert_clicks(records: Sequence[tuple]) -> None:
    """Insert the buffered `records`, skipping any whose uid is stored already."""
    prepare_uid, prepare_time = _preparers()
    rows = [
        (
            prepare_uid(uid),
            link,
            product,
            sharer,
            user,
            visitor,
            prepare_time(at),
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
