"""bench_home_redis's work, in the bench database and under the bench's Redis prefix only:
`python -m bench.home_redis_load USERS POSTS ROUNDS` prints the measurements as JSON.

The data is bench_home_feed's (bench/home_feed_data.py fills it). Five of the viewer's
followees are marked merged at read time. The viewer's first read builds their timeline (the
rebuild of a returning user), then the first page and a deep page (the cursor reached by
following `next` DEEP times) are requested ROUNDS times each through the API, alternating with
the baseline: ZREVRANGEBYSCORE of the window the store reads, one raw SQL query fetching the
ids our page returned (authors joined, each post's first picture, newest first) and
`json.dumps` of its rows. Both pages are first checked equal to the database store's.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from bench import home_feed_data
from bench.home_feed_load import _captured, _explain, cursor_of, page_query

HOME = "/api/v1/feed/home"
PAGE_SIZE = 20
DEEP = 10
MERGED = 5

RAW_FETCH = """
SELECT p.id, p.text, p.visibility, p.published_at, p.like_count, p.comment_count,
    p.save_count, p.card, u.id AS author_id, u.username, u.display_name, u.avatar,
    cover.variants, cover.placeholder
FROM posts_post p
JOIN accounts_user u ON u.id = p.author_id
LEFT JOIN LATERAL (
    SELECT m.variants, m.placeholder FROM posts_postmedia pm
    JOIN media_media m ON m.id = pm.media_id
    WHERE pm.post_id = p.id ORDER BY pm.position LIMIT 1
) AS cover ON true
WHERE p.id = ANY(%(ids)s)
ORDER BY p.published_at DESC, p.id DESC
"""


def _followee(k: int) -> int:
    # home_feed_data's k-th followee of the viewer.
    return home_feed_data.BASE + 2 + 19 * k


def measure(*, users: int, posts: int, rounds: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from backend.accounts.models import User
    from feed import redis_store
    from feed.cursors import decode
    from feed.store import DatabaseTimelineStore, timeline_store
    from feed.timeline import home_cards

    fill_seconds = home_feed_data.fill(users, posts, home_feed_data.fixtures())
    viewer_id = home_feed_data.BASE + 1
    viewer = User.objects.get(pk=viewer_id)
    for k in range(MERGED):
        redis_store.mark_merged(_followee(k))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user_id=viewer_id).key}")
    redis = redis_store.client()
    key = redis_store.Keys.timeline(viewer_id)

    first_path = f"{HOME}?page_size={PAGE_SIZE}"
    page, _ = _captured(client, first_path)  # builds the timeline
    cursor = None
    for _ in range(DEEP):
        cursor = cursor_of(page["next"])
        page, _ = _captured(client, f"{first_path}&cursor={cursor}")
    contenders = {"first": (first_path, None), "deep": (f"{first_path}&cursor={cursor}", cursor)}

    results = {}
    for name, (path, page_cursor) in contenders.items():
        ours_ids = [card["id"] for card in _captured(client, path)[0]["results"]]
        expected = DatabaseTimelineStore().home_page(viewer, cursor=page_cursor, limit=PAGE_SIZE)
        if ours_ids != [post.pk for post in expected.posts] or len(ours_ids) != PAGE_SIZE:
            raise RuntimeError(f"the Redis store's {name} page differs from the database's")
        top = "+inf"
        if page_cursor is not None:
            top = redis_store.micros(decode(page_cursor).published_at)

        def ours(path=path):
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")

        def raw(top=top, ids=ours_ids) -> None:
            redis.zrevrangebyscore(
                key, top, "-inf", start=0, num=2 * (PAGE_SIZE + 1), withscores=True
            )
            with connection.cursor() as db:
                db.execute(RAW_FETCH, {"ids": ids})
                columns = [column.name for column in db.description]
                rows = [dict(zip(columns, row, strict=True)) for row in db.fetchall()]
            json.dumps({"results": rows}, default=str)

        ours_took, raw_took = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            ours()
            ours_took.append(time.perf_counter() - started)
            started = time.perf_counter()
            raw()
            raw_took.append(time.perf_counter() - started)
        results[name] = {
            "ours": {"p50": statistics.median(ours_took)},
            "raw": {"p50": statistics.median(raw_took)},
        }

    # Where a page's time goes: the store alone (Redis and its one SQL query).
    store = timeline_store()
    store_took = []
    for _ in range(rounds):
        started = time.perf_counter()
        store.home_page(viewer, cursor=None, limit=PAGE_SIZE)
        store_took.append(time.perf_counter() - started)
    _, first_queries = _captured(client, first_path)

    counts = {}
    for size in (10, 50):
        _, queries = _captured(client, f"{HOME}?page_size={size}")
        counts[str(size)] = len(queries)
    with CaptureQueriesContext(connection) as captured:
        cards = home_cards(viewer, cursor=None, limit=50).cards
    if len(cards) != 50:
        raise RuntimeError("the Redis store's page of 50 was short")
    counts["page_50"] = len(captured)
    return {
        "users": users,
        "posts": posts,
        "follows": home_feed_data.FOLLOWS,
        "merged": MERGED,
        "rounds": rounds,
        "deep": DEEP,
        "fill_seconds": fill_seconds,
        "timeline_length": redis.zcard(key),
        "pages": results,
        "store_p50": statistics.median(store_took),
        "queries": counts,
        "plan": _explain(*page_query(first_queries)),
    }


def main(users: int, posts: int, rounds: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()
    return measure(users=users, posts=posts, rounds=rounds)


if __name__ == "__main__":
    print(json.dumps(main(*(int(arg) for arg in sys.argv[1:4]))))
