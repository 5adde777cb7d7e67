"""The click-ingest bench's work inside its own environment (its own database).

`python -m bench.click_ingest_work N` makes a few share links, then times N clicks pushed one
by one into the configured click buffer (SHARE_CLICK_BUFFER) and written by flush(), against
raw batched INSERTs of N rows of the same shape into the same table (emptied between the two);
prints {"clicks", "ours", "flush", "raw", "rows_ours", "rows_raw"} (seconds: pushes and flush,
the flush alone, the raw INSERTs; and the rows each stored).
Run through `EmbeddedServer.run` so that it works on that environment's database.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid

RAW_BATCH = 1000
COLUMNS = (
    "uid, link_id, product_id, sharer_id, user_id, visitor_id, clicked_at, agent_class,"
    " is_bot, is_duplicate, is_rate_limited, counted"
)


def _records(links: list[tuple[int, int, int]], count: int) -> list[tuple]:
    now = time.time()
    return [
        (
            uuid.uuid4().hex,
            *links[number % len(links)],
            None,
            f"visitor{number % 5000}",
            now - number / 1000,
            "mobile",
            number % 10 == 0,
            number % 7 == 0,
            False,
        )
        for number in range(count)
    ]


def _raw_rows(records: list[tuple]) -> list[tuple]:
    from datetime import UTC, datetime

    return [
        (
            uid,
            link,
            product,
            sharer,
            user,
            visitor,
            datetime.fromtimestamp(at, UTC),
            agent,
            bot,
            duplicate,
            limited,
            not (bot or duplicate or limited),
        )
        for uid, link, product, sharer, user, visitor, at, agent, bot, duplicate, limited in records
    ]


def measure(count: int) -> dict:
    from django.db import connection, transaction

    from bench.share_redirect_work import seed
    from shoplinks.clicks import buffer
    from shoplinks.models import Click, ShareLink

    seed(100)
    links = list(ShareLink.objects.values_list("id", "product_id", "sharer_id"))

    records = _records(links, count)
    started = time.perf_counter()
    for record in records:
        buffer.push(record)
    pushed = time.perf_counter()
    buffer.flush()
    ours = time.perf_counter() - started
    flush = time.perf_counter() - pushed
    rows_ours = Click.objects.count()
    Click.objects.all().delete()

    rows = _raw_rows(_records(links, count))
    placeholders = ", ".join(["%s"] * 12)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), RAW_BATCH):
            with transaction.atomic():
                cursor.executemany(
                    f"INSERT INTO shoplinks_click ({COLUMNS}) VALUES ({placeholders})",
                    rows[start : start + RAW_BATCH],
                )
    raw = time.perf_counter() - started
    return {
        "clicks": count,
        "ours": ours,
        "flush": flush,
        "raw": raw,
        "rows_ours": rows_ours,
        "rows_raw": Click.objects.count(),
    }


def main(argv: list[str]) -> None:
    [count] = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    print(json.dumps(measure(int(count))))


if __name__ == "__main__":
    main(sys.argv[1:])
