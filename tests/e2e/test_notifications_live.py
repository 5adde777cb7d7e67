"""Notifications in a real browser: the bell leads to the list, a switch saves at once with a
toast, a live notification joins the open list, and an order's page follows its status live.

The socket is played by Playwright (live_server speaks no websocket): these tests check what
the pages do with the messages; tests/feed/test_socket.py checks the server sends them.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from commerce.orders.lifecycle import order_ship
from feed.models import NotificationOptOut
from tests.commerce.lifecycle_support import paid_order
from tests.factories import UserFactory

SOCKET = "**/ws/notifications/"


@pytest.fixture
def member(transactional_db):
    return UserFactory(username="mei", display_name="Mei Lin")


def live_socket(page) -> list:
    """Play the server's socket; the returned list holds it once the page connects."""
    sockets = []
    page.route_web_socket(SOCKET, lambda ws: sockets.append(ws))
    return sockets


def test_the_bell_leads_to_an_empty_list(mobile, member, sign_in, live_server):
    """From any page the bell opens the notifications; with none, a friendly empty state."""
    sign_in(mobile.context, member)
    mobile.goto(live_server.url + "/settings/notifications")

    mobile.locator("a.notif").click()

    expect(mobile).to_have_url(live_server.url + "/notifications/")
    expect(mobile.locator("#notif-empty")).to_contain_text("Nothing yet")


def test_a_switch_saves_at_once_with_a_toast(mobile, member, sign_in, live_server):
    """Turning likes off saves without a reload and says so."""
    sign_in(mobile.context, member)
    mobile.goto(live_server.url + "/settings/notifications")

    mobile.locator("#kind-like").click()

    expect(mobile.locator(".toast-success")).to_have_text("Likes on your posts: off")
    expect(mobile.locator("#kind-like")).not_to_be_checked()
    assert NotificationOptOut.objects.filter(user=member, kind="like").exists()
    assert mobile.evaluate("document.documentElement.scrollWidth") == 390


def test_a_live_notification_joins_the_open_list(mobile, member, sign_in, live_server):
    """On the list, a pushed notification appears at the top without a reload."""
    sign_in(mobile.context, member)
    sockets = live_socket(mobile)
    mobile.goto(live_server.url + "/notifications/")
    item = {
        "id": 9,
        "kind": "like",
        "actor": {"id": 2, "username": "bo", "display_name": "Bo", "avatar": None},
        "actors": [{"id": 2, "username": "bo", "display_name": "Bo", "avatar": None}],
        "count": 1,
        "target": {"type": "post", "id": 4, "url": "/p/4/"},
        "text": "Bo liked your post",
        "created_at": "2026-01-01T10:00:00Z",
        "read": False,
    }
    message = {"type": "notification", "message": item["text"], "unread": 1, "notification": item}

    _wait_for_socket(mobile, sockets)
    sockets[0].send(json.dumps(message))

    expect(mobile.locator("#notif-list .notif").first).to_contain_text("Bo liked your post")
    expect(mobile.locator("#notif-empty")).to_have_count(0)


def _wait_for_socket(page, sockets: list) -> None:
    for _ in range(50):
        if sockets:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the page never opened its socket")


def test_an_order_page_follows_its_status_live(mobile, member, sign_in, live_server):
    """The order ships while its page is open: the notification brings the new status."""
    order = paid_order(buyer=member)
    sign_in(mobile.context, member)
    sockets = live_socket(mobile)
    mobile.goto(f"{live_server.url}/orders/{order.pk}/")
    expect(mobile.locator("[data-order-status]")).to_have_text("Paid")
    _wait_for_socket(mobile, sockets)

    order_ship(order=order, actor=None, carrier="SF Express", tracking_number="SF123")
    item = {"kind": "order_shipped", "target": {"type": "order", "id": order.pk, "url": None}}
    text = f"Your order #{order.pk} has shipped"
    sockets[0].send(json.dumps({"type": "notification", "message": text, "notification": item}))

    expect(mobile.locator("[data-order-status]")).to_have_text("Shipped")
    expect(mobile.locator(".toast-notification")).to_have_text(text)
