"""Home timelines kept in Redis: the storage policy of the "redis" store in one module.

Keys (under settings.FEED_KEY_PREFIX):
- `feed:tl:<user>`: the timeline, a sorted set of post ids scored by publication time in epoch
  microseconds (the unit of feed/cursors.py, so a cursor is a score), capped at
  FEED_TIMELINE_CAP (an insert past the cap trims the oldest);
- `feed:active:<user>`: present while the user has read their home within FEED_INACTIVE_DAYS
  (its value: when it was last set, refreshed at most once an hour); the timeline expires with
  it, so an inactive user's timeline is dropped by Redis itself, fan-out skips them, and the
  read that finds the key missing rebuilds the timeline from the posts table first;
- `feed:merged`: the authors whose posts are merged into their followers' pages at read time
  rather than fanned out (they had FEED_MERGE_FOLLOWERS followers or more when they posted).
  Once in, always in: a merged author's posts are correct on every page whatever their count.

A set only ever says which ids to consider. Every page is filtered by ONE SQL query with the
database store's rules (feed.store.home_posts), so an unfollow, block, mute, deletion,
moderation or visibility change shows on the next read, before any set is cleaned; stale ids
simply age out under the cap.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db.models import Q

from backend.accounts.models import Follow, User
from feed.cursors import EPOCH, MICROSECOND, Position, decode, encode
from feed.store import DatabaseTimelineStore, TimelinePage, home_posts
from posts import selectors as posts
from posts.models import Post

logger = logging.getLogger(__name__)

# A page reads at most this many windows of ids when filtering leaves it short; each window is
# twice the last. Past that it ends short, with a cursor where the reading stopped.
MAX_ROUNDS = 4
# The activity marker is rewritten at most this often per user.
TOUCH_SECONDS = 60 * 60

# For each (timeline, activity marker) pair in KEYS: when the user is active, add the post and
# trim to the cap (only when over it: ZCARD is O(1)); a timeline this creates expires with the
# marker (existing ones already do: every write that makes or refreshes one sets it). One call
# per batch of followers, so fan-out costs one round trip per FEED_FANOUT_BATCH followers.
_ADD = """
local cap = tonumber(ARGV[3])
local added = 0
for i = 1, #KEYS, 2 do
  local ttl = redis.call('PTTL', KEYS[i + 1])
  if ttl > 0 then
    redis.call('ZADD', KEYS[i], ARGV[1], ARGV[2])
    local size = redis.call('ZCARD', KEYS[i])
    if size > cap then
      redis.call('ZREMRANGEBYRANK', KEYS[i], 0, size - cap - 1)
    elseif size == 1 then
      redis.call('PEXPIRE', KEYS[i], ttl)
    end
    added = added + 1
  end
end
return added
"""


def micros(moment: datetime.datetime) -> int:
    # Integer arithmetic, as the cursors do: a float could be off by one microsecond.
    return (moment - EPOCH) // MICROSECOND


def moment(score: int) -> datetime.datetime:
    return EPOCH + score * MICROSECOND


_clients: dict[str, tuple[redis.Redis, object]] = {}
_clients_lock = threading.Lock()


def _client() -> tuple[redis.Redis, object]:
    """The process's Redis client for REDIS_URL and its registered fan-out script."""
    url = settings.REDIS_URL
    pair = _clients.get(url)
    if pair is None:
        with _clients_lock:
            pair = _clients.get(url)
            if pair is None:
                client = redis.Redis.from_url(url)
                pair = (client, client.register_script(_ADD))
                _clients[url] = pair
    return pair


def client() -> redis.Redis:
    return _client()[0]


class Keys:
    """Key names, read from settings on each use (tests give each test its own prefix)."""

    @staticmethod
    def timeline(user_id: int | str) -> str:
        return f"{settings.FEED_KEY_PREFIX}:feed:tl:{user_id}"

    @staticmethod
    def active(user_id: int | str) -> str:
        return f"{settings.FEED_KEY_PREFIX}:feed:active:{user_id}"

    @staticmethod
    def merged() -> str:
        return f"{settings.FEED_KEY_PREFIX}:feed:merged"


def _inactive_seconds() -> int:
    return settings.FEED_INACTIVE_DAYS * 24 * 60 * 60


# --- Writing --------------------------------------------------------------------------------


def add_to_timelines(user_ids: list[int], *, post_id: int, score: int) -> int:
    """Add the post to the timelines of those of `user_ids` who are active (one Redis call);
    returns how many got it."""
    if not user_ids:
        return 0
    _, script = _client()
    timeline, active = Keys.timeline(""), Keys.active("")
    keys = []
    for user_id in user_ids:
        keys += [f"{timeline}{user_id}", f"{active}{user_id}"]
    return int(script(keys=keys, args=[score, post_id, settings.FEED_TIMELINE_CAP]))


def fill_timeline(user_id: int, entries: list[tuple[int, datetime.datetime]]) -> None:
    """Add (post id, published_at) entries to an active user's timeline, capped (a new follow's
    backfill, a returning user's rebuild). Nothing for an inactive user: their return rebuilds."""
    if not entries:
        return
    redis_client = client()
    ttl = redis_client.pttl(Keys.active(user_id))
    if ttl <= 0:
        return
    key = Keys.timeline(user_id)
    pipe = redis_client.pipeline(transaction=False)
    pipe.zadd(key, {str(post_id): micros(published) for post_id, published in entries})
    pipe.zremrangebyrank(key, 0, -(settings.FEED_TIMELINE_CAP + 1))
    pipe.pexpire(key, ttl)
    pipe.execute()


def is_merged(author_id: int) -> bool:
    return bool(client().sismember(Keys.merged(), author_id))


def mark_merged(author_id: int) -> None:
    client().sadd(Keys.merged(), author_id)


def is_active(user_id: int) -> bool:
    return client().exists(Keys.active(user_id)) == 1


def _mark_active(redis_client: redis.Redis, user_id: int) -> None:
    ttl = _inactive_seconds()
    pipe = redis_client.pipeline(transaction=False)
    pipe.set(Keys.active(user_id), int(time.time()), ex=ttl)
    pipe.expire(Keys.timeline(user_id), ttl)
    pipe.execute()


def recent_entries(query, limit: int) -> list[tuple[int, datetime.datetime]]:
    """(id, published_at) of the newest `limit` posts of `query`: one indexed query."""
    return list(query.order_by("-published_at", "-id").values_list("pk", "published_at")[:limit])


def rebuild(user: User) -> None:
    """A returning (or new) user's timeline from the posts table: the newest FEED_TIMELINE_CAP
    posts of the people they follow and their own, whatever their visibility (the read
    filters). The marker is set first, so a fan-out running meanwhile adds to the timeline
    rather than skipping it; nothing is deleted, so nothing it added is lost."""
    _mark_active(client(), user.pk)
    following = Follow.objects.filter(follower=user).values("followee")
    live = Post.objects.filter(
        status=Post.Status.PUBLISHED, deleted_at__isnull=True, published_at__isnull=False
    ).filter(Q(author=user) | Q(author__in=following))
    fill_timeline(user.pk, recent_entries(live, settings.FEED_TIMELINE_CAP))


# --- Reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Upper:
    """Where a window starts, exclusive: strictly after `post_id` at `score` (a cursor), or,
    with post_id None, at `score` inclusive (a window continuing where the last one stopped)."""

    score: int
    post_id: int | None

    def admits(self, post_id: int, score: int) -> bool:
        if self.post_id is None or score < self.score:
            return score <= self.score
        return score == self.score and post_id < self.post_id

    def q(self) -> Q:
        at = moment(self.score)
        if self.post_id is None:
            return Q(published_at__lte=at)
        # The redundant `lte` keeps the bound an index condition (feed.store._after).
        return Q(published_at__lte=at) & (
            Q(published_at__lt=at) | Q(published_at=at, pk__lt=self.post_id)
        )


@dataclass(frozen=True)
class _Window:
    ids: list[int]
    # Exclusive lower bound (a score) of what this window covers; None: to the very end.
    floor: int | None
    # Nothing of the timeline lies below the window.
    last: bool


def _parse(rows) -> list[tuple[int, int]]:
    return [(int(member), int(score)) for member, score in rows]


class RedisTimelineStore:
    """The home timeline from the viewer's sorted set plus the merged authors, filtered by one
    SQL query per window (one window per page, unless filtering leaves it short)."""

    def home_page(self, viewer: User, *, cursor: str | None, limit: int) -> TimelinePage:
        try:
            return self._page(viewer, cursor=cursor, limit=limit)
        except redis.RedisError:
            # The sets only speed the page up: without Redis the database store gives the same
            # page (same cursors), slower, rather than an error.
            logger.warning(
                "Redis timelines unavailable; home read from the database", exc_info=True
            )
            return DatabaseTimelineStore().home_page(viewer, cursor=cursor, limit=limit)

    def _page(self, viewer: User, *, cursor: str | None, limit: int) -> TimelinePage:
        upper = None
        if cursor is not None:
            position = decode(cursor)
            upper = _Upper(micros(position.published_at), position.post_id)
        want = limit + 1
        size = 2 * want
        redis_client = client()
        key = Keys.timeline(viewer.pk)

        pipe = redis_client.pipeline(transaction=False)
        pipe.get(Keys.active(viewer.pk))
        pipe.smembers(Keys.merged())
        self._queue_window(pipe, key, upper, size)
        marker, merged_raw, *window_raw = pipe.execute()
        if marker is None:
            rebuild(viewer)
            pipe = redis_client.pipeline(transaction=False)
            self._queue_window(pipe, key, upper, size)
            window_raw = pipe.execute()
        elif int(marker) <= time.time() - TOUCH_SECONDS:
            _mark_active(redis_client, viewer.pk)
        merged = sorted(int(author) for author in merged_raw)

        found: list[Post] = []
        for round_number in range(MAX_ROUNDS):
            if round_number:
                pipe = redis_client.pipeline(transaction=False)
                self._queue_window(pipe, key, upper, size)
                window_raw = pipe.execute()
            window = self._window(redis_client, key, upper, size, window_raw)
            found += self._fetch(viewer, window, merged, upper, want - len(found))
            if len(found) >= want or window.last:
                break
            upper, size = _Upper(window.floor, None), size * 2
        else:
            # Still short after the last window: end the page here, the next one resuming below
            # that window (a cursor just above its floor, so nothing under it is skipped).
            resume = Position(moment(upper.score + 1), 1)
            return TimelinePage(posts=found, next_cursor=encode(resume))

        page = found[:limit]
        more = len(found) > limit
        next_cursor = None
        if more and page:
            next_cursor = encode(Position(page[-1].published_at, page[-1].pk))
        return TimelinePage(posts=page, next_cursor=next_cursor)

    @staticmethod
    def _queue_window(pipe, key: str, upper: _Upper | None, size: int) -> None:
        top = "+inf" if upper is None else upper.score
        pipe.zrevrangebyscore(key, top, "-inf", start=0, num=size, withscores=True)
        pipe.zcard(key)
        pipe.zrange(key, 0, 0, withscores=True)

    @staticmethod
    def _window(redis_client, key: str, upper: _Upper | None, size: int, raw) -> _Window:
        rows, count, oldest = raw
        entries = _parse(rows)
        last = len(entries) < size
        if last:
            # The set ran out: everything below is read. A full (capped) set ends the timeline
            # at its oldest entry, as the cap means; else the merged authors run to the end.
            full = count >= settings.FEED_TIMELINE_CAP and oldest
            floor = _parse(oldest)[0][1] - 1 if full else None
        else:
            # More below: this window covers what is strictly newer than its lowest score (ids
            # at that score may go on past it; the next window starts there).
            floor = entries[-1][1]
            entries = [entry for entry in entries if entry[1] > floor]
            if not entries:
                # A whole window at one score (not seen in practice): take the whole score.
                tied = redis_client.zrevrangebyscore(key, floor, floor, withscores=True)
                entries, floor = _parse(tied), floor - 1
        ids = [
            post_id for post_id, score in entries if upper is None or upper.admits(post_id, score)
        ]
        return _Window(ids=ids, floor=floor, last=last)

    @staticmethod
    def _fetch(viewer, window: _Window, merged: list[int], upper, count: int) -> list[Post]:
        if not window.ids and not merged:
            return []
        source = Q(pk__in=window.ids)
        if merged:
            source |= Q(author_id__in=merged)
        query = posts.with_viewer_flags(home_posts(viewer).filter(source), viewer)
        if upper is not None:
            query = query.filter(upper.q())
        if window.floor is not None:
            query = query.filter(published_at__gt=moment(window.floor))
        return list(query.order_by("-published_at", "-id")[:count])
