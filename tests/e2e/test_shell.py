"""The web shell in a real browser: our CSS, nothing fetched from elsewhere, both navigations,
the error page, and the live-notification badge."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from backend.accounts.models import Follow
from tests.e2e.conftest import MOBILE
from tests.factories import FollowFactory, UserFactory

ACCENT = "rgb(255, 51, 85)"


@pytest.fixture
def people(transactional_db):
    """A signed-in member and two people worth following (one more followed than the other)."""
    member = UserFactory(username="mei", display_name="Mei Lin")
    popular = UserFactory(username="orchard_ana", display_name="Ana from the orchard")
    other = UserFactory(username="baker_li", display_name="Li the baker")
    FollowFactory(follower=other, followee=popular)
    return member, popular, other


def _style(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"el => getComputedStyle(el).{prop}")


def test_landing_is_styled_by_our_stylesheet(desktop, live_server, screenshots_dir):
    """The anonymous landing renders with app.css applied: our background, accent and fonts."""
    response = desktop.goto(live_server.url + "/")

    assert response.status == 200
    expect(desktop.locator(".hero h1")).to_contain_text("love to eat")
    assert _style(desktop, "body", "backgroundColor") == "rgb(248, 245, 242)"
    assert _style(desktop, ".hero h1 em", "color") == ACCENT
    assert "-apple-system" in _style(desktop, "body", "fontFamily")
    desktop.screenshot(path=screenshots_dir / "landing-desktop.png", full_page=True)


def test_landing_fetches_nothing_from_other_hosts(mobile, live_server, outside_requests):
    """Loading the landing (CSS, htmx, scripts, icons) never asks a host but this server."""
    outside = outside_requests(mobile)

    mobile.goto(live_server.url + "/")
    mobile.wait_for_load_state("networkidle")

    assert outside == []


def test_api_docs_fetch_nothing_from_other_hosts(desktop, live_server, outside_requests):
    """Swagger UI renders the schema from the sidecar's files, with no request elsewhere."""
    outside = outside_requests(desktop)

    desktop.goto(live_server.url + "/api/docs/")
    expect(desktop.locator(".swagger-ui .info .title")).to_contain_text("Word of mouth API")
    desktop.wait_for_load_state("networkidle")

    assert outside == []


def test_missing_page_looks_like_the_product(mobile, live_server, screenshots_dir):
    """An unknown URL answers 404 with the shell's own error page, not Django's plain one."""
    response = mobile.goto(live_server.url + "/no/such/page")

    assert response.status == 404
    expect(mobile.locator(".error-page h1")).to_have_text("We couldn't find that page")
    expect(mobile.locator(".topbar .brand")).to_be_visible()
    assert _style(mobile, ".error-page .btn-primary", "backgroundColor") == ACCENT
    mobile.screenshot(path=screenshots_dir / "404-mobile.png", full_page=True)


def test_phone_shows_the_bottom_tab_bar(mobile, live_server, screenshots_dir):
    """At 390×844 the navigation is a tab bar pinned to the bottom; the top links are hidden."""
    mobile.goto(live_server.url + "/")

    tabbar = mobile.locator("nav.tabbar")
    expect(tabbar).to_be_visible()
    expect(mobile.locator("nav.topnav")).to_be_hidden()
    box = tabbar.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(844, abs=1)
    expect(tabbar.locator('a[aria-current="page"]')).to_contain_text("Home")
    assert mobile.evaluate("document.documentElement.scrollWidth") == MOBILE["viewport"]["width"]
    mobile.screenshot(path=screenshots_dir / "landing-mobile.png", full_page=True)


def test_wide_screen_shows_the_top_navigation(desktop, live_server):
    """On a wide screen the same links sit in the top bar and the tab bar is gone."""
    desktop.goto(live_server.url + "/")

    expect(desktop.locator("nav.topnav")).to_be_visible()
    expect(desktop.locator("nav.tabbar")).to_be_hidden()


def test_signed_in_home_greets_and_suggests_people(
    mobile, desktop, people, sign_in, live_server, screenshots_dir
):
    """A member's home greets them by name and suggests the most-followed people first."""
    member, popular, other = people
    for page, name in ((mobile, "mobile"), (desktop, "desktop")):
        sign_in(page.context, member)

        page.goto(live_server.url + "/")

        expect(page.locator(".greeting h1")).to_contain_text("Mei Lin")
        names = page.locator(".person .person-name")
        expect(names).to_have_text([popular.display_name, other.display_name])
        expect(page.locator("#notif-badge")).to_be_hidden()
        page.screenshot(path=screenshots_dir / f"home-{name}.png", full_page=True)


def test_follow_from_home_goes_through_htmx_with_the_csrf_header(
    mobile, people, sign_in, live_server
):
    """Tapping Follow posts with the session and CSRF header; the button settles as Following."""
    member, popular, _other = people
    sign_in(mobile.context, member)
    mobile.goto(live_server.url + "/")

    button = mobile.locator(".person", has_text=popular.display_name).get_by_role("button")
    button.click()

    expect(button).to_have_text("Following")
    expect(button).to_be_disabled()
    expect(mobile.locator(".toast-success")).to_contain_text(popular.display_name)
    # A long name and the wider "Following" label still fit: no sideways scrolling.
    assert mobile.evaluate("document.documentElement.scrollWidth") == MOBILE["viewport"]["width"]
    assert Follow.objects.filter(follower=member, followee=popular).exists()


def test_live_notification_updates_the_badge_and_shows_a_toast(
    mobile, people, sign_in, live_server
):
    """A {"type": "notification"} message over the socket sets the badge and pops a toast."""
    member, _popular, _other = people
    sign_in(mobile.context, member)
    message = {"type": "notification", "message": "Ana followed you", "unread": 3}
    mobile.route_web_socket("**/ws/notifications/", lambda ws: ws.send(json.dumps(message)))

    mobile.goto(live_server.url + "/")

    expect(mobile.locator("#notif-badge")).to_have_text("3")
    expect(mobile.locator("#notif-badge")).to_be_visible()
    expect(mobile.locator(".toast-notification")).to_have_text("Ana followed you")


def test_live_socket_gives_up_quietly_when_it_never_opens(mobile, people, sign_in, live_server):
    """When the socket never opens (this live server speaks no websocket), live.js tries a few
    times with backoff, then stops."""
    member, _popular, _other = people
    sign_in(mobile.context, member)
    attempts = []
    mobile.on("websocket", lambda socket: attempts.append(socket.url))

    mobile.goto(live_server.url + "/")
    # Backoff after failures 1 and 2 is at most 1 s + 2 s; nothing may follow the third.
    mobile.wait_for_timeout(5000)

    assert len(attempts) == 3
