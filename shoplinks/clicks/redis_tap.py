"""A tap's flags and its push in ONE round trip, when the click buffer is on Redis.

Flagging a tap takes the per-IP counter and the duplicate marker, and then the click is
appended to the buffer: three or four sequential round trips through the cache and the buffer,
most of a tap's time on Redis (bench bench_share_redirect). This Lua script does all of it on the
server at once, atomically, with exactly the rules of `flags.py` (which the in-memory buffer
keeps using, through the Django cache):
- rate limited: the IP's counter for this calendar minute (created with a 120 s TTL) exceeds
  SHARE_CLICKS_PER_IP_PER_MINUTE; every tap counts towards it;
- duplicate: only for a tap that is neither a bot nor rate limited, a marker per link and
  clicker set if absent (SET NX) for SHARE_DUPLICATE_MINUTES, not extended by repeats.
Its keys sit under the buffer's prefix, next to the list: the whole tap touches one server.
"""

from __future__ import annotations

import json
import time

from django.conf import settings

# KEYS: rate counter, duplicate marker, pending list. ARGV: the limit, the counter's TTL, the
# marker's TTL, "1" for a bot, and the click's JSON array without its last two items
# (duplicate, rate limited), which the script appends.
SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
local limited = count > tonumber(ARGV[1])
local duplicate = false
if ARGV[4] ~= '1' and not limited then
  duplicate = not redis.call('SET', KEYS[2], 1, 'EX', ARGV[3], 'NX')
end
local flags = ',' .. tostring(duplicate) .. ',' .. tostring(limited) .. ']'
redis.call('RPUSH', KEYS[3], ARGV[5] .. flags)
"""
RATE_COUNTER_SECONDS = 120


def push_tap(store, head: tuple, *, ip: str, link_id: int, clicker: str, bot: bool) -> None:
    """Flag the tap and append it to `store` (a buffer.RedisBuffer) in one round trip.

    `head` is the buffer record up to and including `bot` (see buffer.ClickRecord); the script
    adds duplicate and rate limited. The buffer registered the script once (store.tap_script):
    each call sends EVALSHA with its digest only.
    """
    prefix = store.prefix
    keys = [
        f"{prefix}:shoplinks:ip:{ip}:{int(time.time() // 60)}",
        f"{prefix}:shoplinks:dup:{link_id}:{clicker}",
        store.pending_key,
    ]
    encoded = json.dumps(head, separators=(",", ":"))
    args = [
        settings.SHARE_CLICKS_PER_IP_PER_MINUTE,
        RATE_COUNTER_SECONDS,
        settings.SHARE_DUPLICATE_MINUTES * 60,
        "1" if bot else "0",
        encoded[:-1],
    ]
    store.tap_script(keys=keys, args=args)
