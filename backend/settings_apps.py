"""The apps' own tunables, each read from the environment (docs/operations.md lists them all):
rewards' rates and payouts, share links, the feeds, and the limits on uploaded media. Imported
whole by backend/settings.py.
"""

from django.core.exceptions import ImproperlyConfigured

from backend.env import env_float, env_int, env_list, env_str, redis_url

# Underscored: not a setting of its own (backend/settings.py has REDIS_URL).
_REDIS_URL = redis_url()

# --- Rewards: commission rates (rewards.rates), in basis points -------------------------------
# The rate when no campaign, product or category rule applies (5 %).
REWARDS_DEFAULT_RATE_BP = env_int("REWARDS_DEFAULT_RATE_BP", 500)
# No commission is ever computed above this rate (30 %), whatever a rule or campaign says.
REWARDS_RATE_CAP_BP = env_int("REWARDS_RATE_CAP_BP", 3000)
# A link keeps the rate of its creation day, when higher than today's, for this many days.
REWARDS_RATE_LOCK_DAYS = env_int("REWARDS_RATE_LOCK_DAYS", 30)
# The smallest payout a sharer may ask for, in minor units (10.00).
REWARDS_PAYOUT_MINIMUM = env_int("REWARDS_PAYOUT_MINIMUM", 1000)
# The highest rate a shop may offer for its product: the same cap, so the console refuses what
# rewards would cut anyway.
COMMISSION_CAP_BP = REWARDS_RATE_CAP_BP

# --- Feeds: the timeline store, discovery and search ---------------------------------------
# Search (feed/search.py): the longest query accepted, in characters; longer is a 400.
SEARCH_QUERY_MAX_LENGTH = env_int("SEARCH_QUERY_MAX_LENGTH", 100)
# Discover (feed.discover): score = (likes·W_LIKE + saves·W_SAVE + comments·W_COMMENT +
# purchases through links·W_PURCHASE) / (age in hours + 2) ^ AGE_EXPONENT, for posts published in
# the last WINDOW_DAYS; a page ranks the top CANDIDATES of a chip, multiplying the score of authors
# followed by people the viewer follows by (1 + CLOSENESS_BOOST); the ranked list of a reading
# session is kept SESSION_SECONDS in the cache.
FEED_DISCOVER_W_LIKE = env_float("FEED_DISCOVER_W_LIKE", 1)
FEED_DISCOVER_W_SAVE = env_float("FEED_DISCOVER_W_SAVE", 3)
FEED_DISCOVER_W_COMMENT = env_float("FEED_DISCOVER_W_COMMENT", 2)
FEED_DISCOVER_W_PURCHASE = env_float("FEED_DISCOVER_W_PURCHASE", 5)
FEED_DISCOVER_AGE_EXPONENT = env_float("FEED_DISCOVER_AGE_EXPONENT", 1.5)
FEED_DISCOVER_WINDOW_DAYS = env_int("FEED_DISCOVER_WINDOW_DAYS", 30)
FEED_DISCOVER_CANDIDATES = env_int("FEED_DISCOVER_CANDIDATES", 300)
FEED_DISCOVER_CLOSENESS_BOOST = env_float("FEED_DISCOVER_CLOSENESS_BOOST", 0.5)
FEED_DISCOVER_SESSION_SECONDS = env_int("FEED_DISCOVER_SESSION_SECONDS", 1800)
# Home timelines: "database" (read from the posts table; the default) or "redis" (fan-out on
# write into capped per-user sorted sets; needs REDIS_URL). Each timeline keeps the newest
# TIMELINE_CAP posts; fan-out writes FANOUT_BATCH followers per Redis call; authors with
# MERGE_FOLLOWERS followers or more are merged at read time instead; a user who has not read
# their home for INACTIVE_DAYS gets no fan-out and has their timeline rebuilt on return.
FEED_STORE = env_str("FEED_STORE", "database")
if FEED_STORE not in {"database", "redis"} or (FEED_STORE == "redis" and not _REDIS_URL):
    raise ImproperlyConfigured("FEED_STORE is 'database', or 'redis' with REDIS_URL set.")
FEED_TIMELINE_CAP = env_int("FEED_TIMELINE_CAP", 400)
FEED_FANOUT_BATCH = env_int("FEED_FANOUT_BATCH", 1000)
FEED_MERGE_FOLLOWERS = env_int("FEED_MERGE_FOLLOWERS", 10_000)
FEED_INACTIVE_DAYS = env_int("FEED_INACTIVE_DAYS", 7)
FEED_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "wom")

# A paid line is credited to the buyer's last counted tap on a share link within this many days
# before the order was placed (shoplinks.attribution).
SHARE_ATTRIBUTION_WINDOW_DAYS = env_int("SHARE_ATTRIBUTION_WINDOW_DAYS", 7)

# --- Share links (shoplinks): the redirect and its click log --------------------------------
# Taps from one IP beyond this many in a minute are kept but flagged rate_limited (not counted).
SHARE_CLICKS_PER_IP_PER_MINUTE = env_int("SHARE_CLICKS_PER_IP_PER_MINUTE", 30)
# A second tap by the same person on the same link within this many minutes is a duplicate.
SHARE_DUPLICATE_MINUTES = env_int("SHARE_DUPLICATE_MINUTES", 30)
# How long `/s/<code>` keeps a link in the cache (links never change), and an unknown code.
SHARE_LINK_CACHE_SECONDS = env_int("SHARE_LINK_CACHE_SECONDS", 24 * 60 * 60)
SHARE_LINK_MISS_CACHE_SECONDS = env_int("SHARE_LINK_MISS_CACHE_SECONDS", 60)
# Each process also keeps up to this many links in memory for this long (shoplinks.lookup), so
# that a hot link costs no round trip to the shared cache.
SHARE_LINK_LOCAL_CACHE_ENTRIES = env_int("SHARE_LINK_LOCAL_CACHE_ENTRIES", 10_000)
SHARE_LINK_LOCAL_CACHE_SECONDS = env_int("SHARE_LINK_LOCAL_CACHE_SECONDS", 60)
# Where taps wait before flush() writes them: "redis" (shared by all processes) or "memory"
# (this process only: the single-process embedded default).
SHARE_CLICK_BUFFER = env_str("SHARE_CLICK_BUFFER", "") or ("redis" if _REDIS_URL else "memory")
if SHARE_CLICK_BUFFER not in {"redis", "memory"} or (
    SHARE_CLICK_BUFFER == "redis" and not _REDIS_URL
):
    raise ImproperlyConfigured("SHARE_CLICK_BUFFER is 'memory', or 'redis' with REDIS_URL set.")
SHARE_CLICK_BUFFER_PREFIX = env_str("CACHE_KEY_PREFIX", "wom")

# --- Media (uploads) ------------------------------------------------------------------------
# Limits checked at upload, from the content: over a limit is 413 too_large.
MEDIA_IMAGE_MAX_BYTES = env_int("MEDIA_IMAGE_MAX_BYTES", 25 * 1024 * 1024)
MEDIA_IMAGE_MAX_PIXELS = env_int("MEDIA_IMAGE_MAX_PIXELS", 50_000_000)
MEDIA_VIDEO_MAX_BYTES = env_int("MEDIA_VIDEO_MAX_BYTES", 200 * 1024 * 1024)
MEDIA_VIDEO_MAX_SECONDS = env_int("MEDIA_VIDEO_MAX_SECONDS", 180)
# Widths of the WebP variants (and of a video's posters), smallest first.
MEDIA_VARIANT_WIDTHS = sorted(
    int(w) for w in env_list("MEDIA_VARIANT_WIDTHS", ["320", "640", "1080"])
)
# Lifetime of the signed URLs of non-public media, on the filesystem view and on S3 alike.
MEDIA_URL_EXPIRE_SECONDS = env_int("MEDIA_URL_EXPIRE_SECONDS", 3600)
# Uploads no post or product used within this time are deleted (rows and files) by the scheduler.
MEDIA_UNATTACHED_TTL_HOURS = env_int("MEDIA_UNATTACHED_TTL_HOURS", 24)
