"""What kind of client tapped, and the flags that keep a tap from being counted.

Everything here reads the request and the cache only: no SQL on the redirect's path. With the
Redis click buffer, record() takes the rate counter and the duplicate marker in the same round
trip as the push instead (`redis_tap.py`, same rules); is_rate_limited() and is_duplicate() are
the in-memory buffer's path.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core.cache import cache

from shoplinks.models import AgentClass

# Crawlers, chat apps' link-preview fetchers (they fetch the page to draw the card, not a person
# tapping), and HTTP libraries (not okhttp or CFNetwork: our own apps send those). Matched
# anywhere in the lower-cased user agent: ten times faster than re.IGNORECASE over this
# alternation, and this runs on every tap.
BOT_AGENT = re.compile(
    r"bot|crawler|spider|slurp|facebookexternalhit|facebookcatalog|meta-externalagent"
    r"|twitterbot|slackbot|slack-imgproxy|whatsapp|telegrambot|discordbot|linkedinbot"
    r"|skypeuripreview|vkshare|pinterest|embedly|iframely|quora link preview|outbrain"
    r"|wechatbot|weixin.*preview|mmpreview|bytespider|headlesschrome|phantomjs|lighthouse"
    r"|curl/|wget/|python-requests|python-urllib|aiohttp|httpx|go-http-client"
    r"|java/|libwww-perl|node-fetch|axios/|undici|postmanruntime|insomnia|scrapy|httpie"
)
MOBILE_AGENT = re.compile(r"mobi|android|iphone|ipad|ipod|micromessenger|harmonyos")
DESKTOP_AGENT = re.compile(r"windows nt|macintosh|x11|cros|linux")
PREFETCH_HEADERS = ("HTTP_PURPOSE", "HTTP_SEC_PURPOSE", "HTTP_X_MOZ", "HTTP_X_PURPOSE")


def is_bot(request) -> bool:
    """A crawler or preview fetcher, a HEAD, a prefetch or prerender, or a fetch that is not a
    page navigation (Sec-Fetch-Dest image, iframe, …): none of them is a person tapping."""
    if request.method == "HEAD":
        return True
    agent = request.headers.get("User-Agent", "").lower()
    # Every browser and our apps send one; its absence is a script.
    if not agent.strip() or BOT_AGENT.search(agent):
        return True
    for header in PREFETCH_HEADERS:
        value = request.META.get(header, "").lower()
        if "prefetch" in value or "prerender" in value or "preview" in value:
            return True
    destination = request.headers.get("Sec-Fetch-Dest")
    return destination is not None and destination.lower() != "document"


def agent_class(request, *, bot: bool, app: bool) -> str:
    if bot:
        return AgentClass.BOT
    if app:
        return AgentClass.APP
    agent = request.headers.get("User-Agent", "").lower()
    if MOBILE_AGENT.search(agent):
        return AgentClass.MOBILE
    if DESKTOP_AGENT.search(agent):
        return AgentClass.DESKTOP
    return AgentClass.OTHER


def is_duplicate(link_id: int, clicker: str) -> bool:
    """Whether `clicker` tapped this link already within SHARE_DUPLICATE_MINUTES of the first
    tap of the series (the window is not extended by repeats: a tap after it counts again)."""
    key = f"shoplinks:dup:{link_id}:{clicker}"
    return not cache.add(key, 1, settings.SHARE_DUPLICATE_MINUTES * 60)


def is_rate_limited(ip: str) -> bool:
    """Whether this tap is over SHARE_CLICKS_PER_IP_PER_MINUTE for its IP (per calendar
    minute: a fixed window, one counter per IP and minute)."""
    key = f"shoplinks:ip:{ip}:{int(time.time() // 60)}"
    try:
        count = cache.incr(key)
    except ValueError:
        # First tap of the minute here, or the counter expired: start it (another request may
        # start it at the same moment, hence add, then incr if that one won).
        count = 1 if cache.add(key, 1, 120) else cache.incr(key)
    return count > settings.SHARE_CLICKS_PER_IP_PER_MINUTE
