"""bench_fanout's work, in the bench database and under the bench's Redis prefix only:
`python -m bench.fanout_load SIZES ROUNDS` (SIZES like 1000,10000,100000) prints the
measurements as JSON.

One author per size, followed by the first SIZE of a pool of followers (rows made by
`INSERT … SELECT generate_series`), every follower active (marker set). Per size, ROUNDS times,
alternating: ours, `feed.fanout.post_fan_out` of a fresh post; the baseline, the same ZADDs of
another fresh post id to the same timeline keys in a raw pipeline, in batches of the same size,
the follower ids in hand. Then, per author, PUBLISH_ROUNDS publish calls
(`posts.services.post_create`, committed; the event's handlers are queued, not run).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

BASE = 1000  # generated user u is id BASE + u
AUTHORS = 10  # authors are users 1..AUTHORS; followers follow from AUTHORS + 1 on
PUBLISH_ROUNDS = 30

USERS = """
INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email,
    is_staff, is_active, date_joined, display_name, bio, avatar, anonymised_at)
SELECT %(base)s + u, '!', false, 'fan' || u, '', '', '', false, true,
    now() - interval '100 days', 'Fan ' || u, '', '', NULL
FROM generate_series(1, %(users)s) AS u
"""
FOLLOWS = """
INSERT INTO accounts_follow (follower_id, followee_id, created_at)
SELECT %(base)s + %(authors)s + f, %(author)s, now() - (f %% 300) * interval '1 day'
FROM generate_series(1, %(followers)s) AS f
"""


def _fill(sizes: list[int]) -> tuple[float, dict[int, int]]:
    from django.db import connection

    started = time.perf_counter()
    authors = {}
    with connection.cursor() as cursor:
        params = {"base": BASE, "users": AUTHORS + max(sizes), "authors": AUTHORS}
        cursor.execute(USERS, params)
        for number, size in enumerate(sizes, start=1):
            authors[size] = BASE + number
            cursor.execute(FOLLOWS, {**params, "author": authors[size], "followers": size})
        cursor.execute("VACUUM ANALYZE")
    _activate(max(sizes))
    return time.perf_counter() - started, authors


def _follower_ids(count: int) -> list[int]:
    return [BASE + AUTHORS + f for f in range(1, count + 1)]


def _activate(count: int) -> None:
    from django.conf import settings

    from feed import redis_store

    client = redis_store.client()
    ttl = settings.FEED_INACTIVE_DAYS * 86400
    ids = _follower_ids(count)
    for start in range(0, len(ids), 10_000):
        pipe = client.pipeline(transaction=False)
        for user_id in ids[start : start + 10_000]:
            pipe.set(redis_store.Keys.active(user_id), int(time.time()), ex=ttl)
        pipe.execute()


def _new_post(author_id: int):
    from django.utils import timezone

    from posts.models import Post

    return Post.objects.create(
        author_id=author_id,
        text="Bench post",
        visibility="public",
        status=Post.Status.PUBLISHED,
        published_at=timezone.now(),
    )


def measure(*, sizes: list[int], rounds: int) -> dict:
    from django.conf import settings
    from django.db import transaction

    from backend.accounts.models import User
    from feed import fanout, redis_store
    from posts import services

    # Every size is fanned out here; at the default threshold the big ones would be merged.
    settings.FEED_MERGE_FOLLOWERS = 10 * max(sizes)
    fill_seconds, authors = _fill(sizes)
    client = redis_store.client()
    batch = settings.FEED_FANOUT_BATCH

    fanouts = {}
    for size in sizes:
        author_id = authors[size]
        keys = [redis_store.Keys.timeline(user_id) for user_id in _follower_ids(size)]

        def raw(keys=keys, author_id=author_id) -> None:
            post = _new_post(author_id)
            score = redis_store.micros(post.published_at)
            for start in range(0, len(keys), batch):
                pipe = client.pipeline(transaction=False)
                for key in keys[start : start + batch]:
                    pipe.zadd(key, {str(post.pk): score})
                pipe.execute()

        ours_took, raw_took = [], []
        for _ in range(rounds):
            post = _new_post(author_id)
            started = time.perf_counter()
            added = fanout.post_fan_out(post=post)
            ours_took.append(time.perf_counter() - started)
            if added != size:
                raise RuntimeError(f"fan-out reached {added} of {size} followers")
            started = time.perf_counter()
            raw()
            raw_took.append(time.perf_counter() - started)
        ours_p50, raw_p50 = statistics.median(ours_took), statistics.median(raw_took)
        # Of ours, the part spent reading the follower ids from PostgreSQL.
        walks = []
        for _ in range(rounds):
            started = time.perf_counter()
            for _ids in fanout.follower_batches(author_id, batch):
                pass
            walks.append(time.perf_counter() - started)
        fanouts[str(size)] = {
            "ours_p50": ours_p50,
            "raw_p50": raw_p50,
            "followers_sql_p50": statistics.median(walks),
            "ours_rate": size / ours_p50,
            "raw_rate": size / raw_p50,
        }

    # One publish first, unmeasured: the first call pays for imports and connections.
    services.post_create(
        author=User.objects.get(pk=BASE + AUTHORS),
        text="Warm-up",
        media_ids=[],
        visibility="public",
        status="published",
    )
    publish = {}
    for size in sizes:
        author = User.objects.get(pk=authors[size])
        took = []
        for n in range(PUBLISH_ROUNDS):
            started = time.perf_counter()
            with transaction.atomic():
                services.post_create(
                    author=author,
                    text=f"Publish {n}",
                    media_ids=[],
                    visibility="public",
                    status="published",
                )
            took.append(time.perf_counter() - started)
        publish[str(size)] = statistics.median(took)
    return {
        "sizes": sizes,
        "rounds": rounds,
        "batch": batch,
        "fill_seconds": fill_seconds,
        "fanout": fanouts,
        "publish": publish,
    }


def main(sizes: str, rounds: str) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()
    return measure(sizes=[int(size) for size in sizes.split(",")], rounds=int(rounds))


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
