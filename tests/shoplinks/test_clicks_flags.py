"""Click quality: bots, HEAD, prefetches and non-document fetches, repeats and floods are kept
but flagged, and only unflagged clicks are counted."""

import time

import pytest
from django.test import override_settings

from shoplinks.models import AgentClass
from tests.shoplinks.tap_support import DESKTOP, flushed_clicks, new_link, tap

pytestmark = pytest.mark.django_db

BOT_AGENTS = [
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "WhatsApp/2.23.20.0",
    "TelegramBot (like TwitterBot)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0)",
    "Baiduspider+(+http://www.baidu.com/search/spider.htm)",
    "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36"
    " (compatible; Bytespider; spider-feedback@bytedance.com)",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.32.3",
    "Go-http-client/1.1",
    "",
]


def _only_click():
    [click] = flushed_clicks()
    return click


def test_a_person_tapping_is_counted(client):
    """A desktop browser navigating to the link: counted, desktop class, no flag."""
    tap(client, new_link().code, HTTP_USER_AGENT=DESKTOP)
    click = _only_click()
    assert click.counted
    assert click.agent_class == AgentClass.DESKTOP
    assert not (click.is_bot)
    assert not (click.is_duplicate)
    assert not (click.is_rate_limited)


@pytest.mark.parametrize("agent", BOT_AGENTS)
def test_crawlers_preview_fetchers_and_scripts_are_bots(client, agent):
    """Crawler, chat-app preview and HTTP-library user agents (and none at all): bot, not
    counted; they still get the redirect."""
    response = tap(client, new_link().code, HTTP_USER_AGENT=agent)
    assert response.status_code == 302
    click = _only_click()
    assert click.is_bot
    assert not click.counted
    assert click.agent_class == AgentClass.BOT


def test_head_is_answered_like_get_without_a_body_and_is_a_bot(client):
    """HEAD gets the same status and Location, no body, and is recorded as a bot."""
    link = new_link()
    head = client.head(f"/s/{link.code}", HTTP_USER_AGENT=DESKTOP)
    json_head = client.head(f"/s/{link.code}", HTTP_ACCEPT="application/json")
    assert head.status_code == 302
    assert head.content == b""
    assert head["Location"] == tap(client, link.code)["Location"]
    assert json_head.status_code == 200
    assert json_head.content == b""
    clicks = flushed_clicks()
    assert [click.is_bot for click in clicks] == [True, True, False]


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_X_MOZ": "prefetch"},
        {"HTTP_X_PURPOSE": "preview"},
    ],
)
def test_prefetches_are_bots(client, header):
    """A browser prefetching or prerendering the link is not a person tapping it."""
    tap(client, new_link().code, **header)
    assert _only_click().is_bot


@pytest.mark.parametrize("dest", ["image", "iframe", "empty", "script"])
def test_a_fetch_that_is_not_a_page_navigation_is_a_bot(client, dest):
    """Sec-Fetch-Dest other than document (an <img> or <iframe> pointing at the link)."""
    tap(client, new_link().code, HTTP_SEC_FETCH_DEST=dest)
    assert _only_click().is_bot


def test_a_bot_tap_does_not_use_up_the_persons_tap(client):
    """A preview fetch from the same browser first, then the real tap: the tap still counts."""
    link = new_link()
    tap(client, link.code, HTTP_SEC_FETCH_DEST="iframe")
    tap(client, link.code)
    assert [click.counted for click in flushed_clicks()] == [False, True]


class Clock:
    """time.time() under the test's control (cache expiry and click times follow it)."""

    def __init__(self, monkeypatch):
        self.now = time.time()
        monkeypatch.setattr(time, "time", lambda: self.now)

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


# The local-memory cache expires by time.time(), which the test moves (Redis keeps its own clock,
# hence the in-memory buffer, whose flags live in that cache; see test_clicks_redis_tap.py).
@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    SHARE_CLICK_BUFFER="memory",
)
def test_a_repeat_within_30_minutes_is_a_duplicate_and_counts_again_after(client, monkeypatch):
    """Same visitor, same link: the repeat at 29 min is a duplicate; a tap 31 min after the
    first counts again; another link or another visitor is not a repeat."""
    clock = Clock(monkeypatch)
    link, other = new_link(), new_link()
    tap(client, link.code)
    clock.advance(29)
    tap(client, link.code)
    tap(client, other.code)
    clock.advance(2)
    tap(client, link.code)
    client.cookies.clear()
    tap(client, link.code)
    clicks = flushed_clicks()
    assert [(c.link_id, c.is_duplicate, c.counted) for c in clicks] == [
        (link.pk, False, True),
        (link.pk, True, False),
        (other.pk, False, True),
        (link.pk, False, True),
        (link.pk, False, True),
    ]


def test_a_signed_in_users_repeat_is_a_duplicate_across_devices(client, monkeypatch):
    """A user's repeat is a duplicate even from another browser (the user is the key)."""
    from django.test import Client

    from tests.factories import UserFactory

    user, link = UserFactory(), new_link()
    phone, laptop = client, Client()
    phone.force_login(user)
    laptop.force_login(user)
    tap(phone, link.code)
    tap(laptop, link.code, HTTP_USER_AGENT=DESKTOP)
    assert [c.is_duplicate for c in flushed_clicks()] == [False, True]


@override_settings(SHARE_CLICKS_PER_IP_PER_MINUTE=3)
def test_more_taps_than_the_limit_from_one_ip_are_rate_limited(client, monkeypatch):
    """The 4th tap in a minute from one IP is flagged (each on its own link and visitor, so
    nothing else flags it); another IP is not; the next minute counts again."""
    Clock(monkeypatch)
    links = [new_link() for _ in range(6)]
    for link in links[:4]:
        client.cookies.clear()
        tap(client, link.code, ip="192.0.2.1")
    tap(client, links[4].code, ip="192.0.2.2")
    clicks = flushed_clicks()
    assert [c.is_rate_limited for c in clicks] == [False, False, False, True, False]
    assert [c.counted for c in clicks] == [True, True, True, False, True]


@override_settings(SHARE_CLICKS_PER_IP_PER_MINUTE=1)
def test_the_rate_limit_window_is_one_minute(client, monkeypatch):
    """Over the limit in one minute, under it again in the next."""
    clock = Clock(monkeypatch)
    clock.now = (clock.now // 60) * 60 + 1
    first, second, third = new_link(), new_link(), new_link()
    tap(client, first.code)
    tap(client, second.code)
    clock.advance(1)
    tap(client, third.code)
    assert [c.is_rate_limited for c in flushed_clicks()] == [False, True, False]


def test_our_android_app_is_not_a_bot(client):
    """Our Android app's HTTP library (okhttp) with its token is a counted app tap."""
    from tests.factories import UserFactory
    from tests.shoplinks.tap_support import token_for

    user = UserFactory()
    # An app sends no Sec-Fetch-* headers at all.
    client.get(
        f"/s/{new_link().code}",
        HTTP_USER_AGENT="okhttp/4.12.0",
        HTTP_AUTHORIZATION=f"Token {token_for(user)}",
    )
    click = _only_click()
    assert click.counted
    assert click.agent_class == AgentClass.APP
