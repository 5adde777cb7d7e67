"""bench_home_feed's work, in the bench database only: `python -m bench.home_feed_load USERS
POSTS ROUNDS` prints the measurements as JSON.

The data set is bench/home_feed_data.py's.

Then, in this process, through the real URL routing, DRF and serializers (an in-process client
signed in with an API token, so no HTTP server's time is counted on either side), the first page
of GET feed/home (20 cards) and a deep page (the cursor reached by following `next` DEEP times)
are requested ROUNDS times each, alternating with the baseline: one raw SQL query for the same
page (same rules, authors joined, each post's first picture) and `json.dumps` of its rows. The
baseline must return the same post ids as ours, or the run fails. The queries of a page of 10 and
of 50 cards are counted, and the plans (EXPLAIN ANALYZE) of our page query and the raw one kept.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import time
from urllib.parse import parse_qs, urlsplit

from bench import home_feed_data

HOME = "/api/v1/feed/home"
PAGE_SIZE = 20
DEEP = 10

# The raw page: the rule of feed/store.py and visible_author_filter, hand-written for the home
# timeline (the author is followed, so "followers" needs nothing more and "friends" only the
# follow back), authors joined, each post's first picture in the same statement.
RAW_PAGE = """
SELECT p.id, p.text, p.visibility, p.published_at, p.like_count, p.comment_count,
    p.save_count, u.id AS author_id, u.username, u.display_name, u.avatar,
    cover.variants, cover.placeholder
FROM posts_post p
JOIN accounts_user u ON u.id = p.author_id
LEFT JOIN LATERAL (
    SELECT m.variants, m.placeholder FROM posts_postmedia pm
    JOIN media_media m ON m.id = pm.media_id
    WHERE pm.post_id = p.id ORDER BY pm.position LIMIT 1
) AS cover ON true
WHERE p.status = 'published' AND p.deleted_at IS NULL AND p.hidden_at IS NULL {after}
  AND (p.author_id = %(viewer)s OR (
    p.author_id IN (SELECT followee_id FROM accounts_follow WHERE follower_id = %(viewer)s)
    AND u.is_active AND u.anonymised_at IS NULL
    AND (p.visibility IN ('public', 'followers')
      OR (p.visibility = 'friends' AND EXISTS (SELECT 1 FROM accounts_follow back
          WHERE back.follower_id = p.author_id AND back.followee_id = %(viewer)s))
      OR (p.visibility = 'close_friends' AND EXISTS (SELECT 1 FROM accounts_closefriend c
          WHERE c.owner_id = p.author_id AND c.friend_id = %(viewer)s)))
    AND NOT EXISTS (SELECT 1 FROM accounts_block b
        WHERE (b.blocker_id = %(viewer)s AND b.blocked_id = p.author_id)
           OR (b.blocker_id = p.author_id AND b.blocked_id = %(viewer)s))
    AND NOT EXISTS (SELECT 1 FROM accounts_mute m
        WHERE m.muter_id = %(viewer)s AND m.muted_id = p.author_id)))
ORDER BY p.published_at DESC, p.id DESC
LIMIT %(limit)s
"""
AFTER = "AND (p.published_at, p.id) < (%(before)s, %(before_id)s)"


def raw_page_sql(*, deep: bool) -> str:
    return RAW_PAGE.format(after=AFTER if deep else "")


def percentile(took: list[float], fraction: float) -> float:
    """The `fraction` quantile of the timings by nearest rank: p99 of 100 timings is the 99th
    fastest, of 40 the slowest."""
    ordered = sorted(took)
    rank = max(1, math.ceil(fraction * len(ordered) - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def _figures(took: list[float]) -> dict:
    return {"p50": statistics.median(took), "p99": percentile(took, 0.99)}


def _captured(client, path: str) -> tuple[dict, list[tuple[str, object]]]:
    """The JSON of GET path and the SQL it ran (statement, params)."""
    from django.db import connection

    queries: list[tuple[str, object]] = []

    def capture(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:300]}")
    return response.json(), queries


def _explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def page_query(queries: list[tuple[str, object]]) -> tuple[str, object]:
    """The store's statement among a request's queries (the one ordering posts by time)."""
    for sql, params in queries:
        if sql.lstrip().startswith('SELECT "posts_post"') and '"published_at" DESC' in sql:
            return sql, params
    raise RuntimeError("the home page ran no timeline query")


def cursor_of(next_url: str) -> str:
    return parse_qs(urlsplit(next_url).query)["cursor"][0]


def measure(*, users: int, posts: int, rounds: int, fixtures: dict) -> dict:
    from django.db import connection
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from feed.cursors import decode

    fill_seconds = home_feed_data.fill(users, posts, fixtures)
    viewer = home_feed_data.BASE + 1
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user_id=viewer).key}")

    first_path = f"{HOME}?page_size={PAGE_SIZE}"
    page, queries = _captured(client, first_path)
    first_sql = page_query(queries)
    cursor = None
    for _ in range(DEEP):
        if not page["next"]:
            raise RuntimeError(f"the home timeline ended before page {DEEP + 1}")
        cursor = cursor_of(page["next"])
        page, _ = _captured(client, f"{first_path}&cursor={cursor}")
    deep_path = f"{first_path}&cursor={cursor}"
    _, deep_queries = _captured(client, deep_path)
    position = decode(cursor)
    contenders = {
        "first": (first_path, raw_page_sql(deep=False), {}),
        "deep": (
            deep_path,
            raw_page_sql(deep=True),
            {"before": position.published_at, "before_id": position.post_id},
        ),
    }

    results = {}
    for name, (path, sql, extra) in contenders.items():
        params = {"viewer": viewer, "limit": PAGE_SIZE + 1, **extra}

        def ours(path=path):
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            return response

        def raw(sql=sql, params=params) -> list[int]:
            with connection.cursor() as db:
                db.execute(sql, params)
                columns = [column.name for column in db.description]
                rows = [dict(zip(columns, row, strict=True)) for row in db.fetchall()]
            page_rows = rows[:PAGE_SIZE]
            json.dumps({"results": page_rows, "more": len(rows) > PAGE_SIZE}, default=str)
            return [row["id"] for row in page_rows]

        # The ids are compared once, outside the timings (ours' JSON is not parsed back there).
        ours_ids = [card["id"] for card in json.loads(ours().content)["results"]]
        raw_ids = raw()
        if ours_ids != raw_ids or len(ours_ids) != PAGE_SIZE:
            raise RuntimeError(
                f"the baseline's {name} page differs from ours: {raw_ids} against {ours_ids}"
            )
        ours_took, raw_took = [], []
        # Alternating, so drift (caches, autovacuum) weighs on both alike.
        for _ in range(rounds):
            started = time.perf_counter()
            ours()
            ours_took.append(time.perf_counter() - started)
            started = time.perf_counter()
            raw()
            raw_took.append(time.perf_counter() - started)
        results[name] = {"ours": _figures(ours_took), "raw": _figures(raw_took)}

    counts = {}
    for size in (10, 50):
        _, queries = _captured(client, f"{HOME}?page_size={size}")
        counts[size] = len(queries)

    first_params = {"viewer": viewer, "limit": PAGE_SIZE + 1}
    deep_params = {**first_params, **contenders["deep"][2]}
    plans = {
        "ours, first page": _explain(*first_sql),
        "ours, deep page": _explain(*page_query(deep_queries)),
        "raw, first page": _explain(raw_page_sql(deep=False), first_params),
        "raw, deep page": _explain(raw_page_sql(deep=True), deep_params),
    }
    return {
        "users": users,
        "posts": posts,
        "follows": home_feed_data.FOLLOWS,
        "rounds": rounds,
        "deep": DEEP,
        "fill_seconds": fill_seconds,
        "pages": results,
        "queries": {"10": counts[10], "50": counts[50]},
        "plans": plans,
    }


def main(users: int, posts: int, rounds: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()
    return measure(users=users, posts=posts, rounds=rounds, fixtures=home_feed_data.fixtures())


if __name__ == "__main__":
    print(json.dumps(main(*(int(arg) for arg in sys.argv[1:4]))))
