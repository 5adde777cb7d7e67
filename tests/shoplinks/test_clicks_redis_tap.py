"""On the Redis buffer a tap's rate counter, duplicate marker and push are one round trip (a
Lua script), with the same rules as the in-memory path: the counter per IP and calendar minute,
the marker only for a tap that is neither a bot nor rate limited, for SHARE_DUPLICATE_MINUTES
from the first tap."""

import time

import pytest
from django.test import override_settings

from shoplinks.clicks import buffer
from tests.shoplinks.tap_support import flushed_clicks, new_link, tap

pytestmark = [pytest.mark.django_db, pytest.mark.services("redis")]


@pytest.fixture
def store(settings):
    settings.SHARE_CLICK_BUFFER = "redis"
    return buffer.get_buffer()


def _marker_keys(store) -> list[bytes]:
    return list(store.client.scan_iter(f"{store.prefix}:shoplinks:dup:*"))


def test_a_tap_on_a_cached_link_is_one_redis_command_and_no_sql(
    client, store, monkeypatch, django_assert_num_queries
):
    """After a first tap (link cached, script loaded), a tap sends Redis exactly one command
    from the buffer's client and makes no SQL query; the click is buffered with its flags."""
    link = new_link()
    tap(client, link.code)
    sent = []
    real = store.client.execute_command
    monkeypatch.setattr(
        store.client,
        "execute_command",
        lambda *args, **kw: sent.append(args[0]) or real(*args, **kw),
    )
    with django_assert_num_queries(0):
        tap(client, link.code)
    assert sent == ["EVALSHA"]
    monkeypatch.undo()
    assert [(c.is_duplicate, c.counted) for c in flushed_clicks()] == [(False, True), (True, False)]


def test_the_duplicate_marker_lasts_the_setting_and_is_not_extended(client, store):
    """The marker expires SHARE_DUPLICATE_MINUTES after the first tap (a repeat does not push it
    back); once it is gone, the next tap counts again."""
    link = new_link()
    with override_settings(SHARE_DUPLICATE_MINUTES=30):
        tap(client, link.code)
        [marker] = _marker_keys(store)
        store.client.expire(marker, 100)
        tap(client, link.code)
        assert 0 < store.client.ttl(marker) <= 100
        store.client.delete(marker)
        tap(client, link.code)
        assert 30 * 60 - 5 < store.client.ttl(marker) <= 30 * 60
    assert [c.counted for c in flushed_clicks()] == [True, False, True]


@override_settings(SHARE_CLICKS_PER_IP_PER_MINUTE=1)
def test_bots_and_rate_limited_taps_leave_no_duplicate_marker(client, store, monkeypatch):
    """A bot's tap and a rate-limited tap are flagged as such, never as duplicates, and do not
    use up the person's tap; the IP counter is this calendar minute's, kept two minutes."""
    # One fixed instant: the two taps from 192.0.2.9 fall in the same minute.
    now = (time.time() // 60) * 60 + 1
    monkeypatch.setattr(time, "time", lambda: now)
    link, other = new_link(), new_link()
    tap(client, link.code, HTTP_SEC_FETCH_DEST="image", ip="192.0.2.9")
    assert _marker_keys(store) == []
    counter = f"{store.prefix}:shoplinks:ip:192.0.2.9:{int(now // 60)}"
    assert 0 < store.client.ttl(counter) <= 120
    tap(client, link.code, ip="192.0.2.9")
    assert _marker_keys(store) == []
    tap(client, other.code, ip="192.0.2.10")
    clicks = flushed_clicks()
    assert [(c.is_bot, c.is_rate_limited, c.is_duplicate) for c in clicks] == [
        (True, False, False),
        (False, True, False),
        (False, False, False),
    ]
