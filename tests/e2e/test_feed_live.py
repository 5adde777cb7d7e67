"""The home feed live, in a real browser against the whole ASGI app (websocket included):
A follows B; B publishes; A's home shows the "new posts" pill, and a tap brings the post in;
B comments on A's post and A's badge changes without a reload."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

from tests.factories import FollowFactory, UserFactory
from tests.factories_posts import PostFactory


@pytest.fixture
def ana_and_bo(transactional_db):
    """Ana follows Bo; Ana has a post of her own on her home."""
    ana = UserFactory(username="ana", display_name="Ana")
    bo = UserFactory(username="bo", display_name="Bo Lindqvist")
    FollowFactory(follower=ana, followee=bo)
    ana_post = PostFactory(author=ana, text="Ana's mango bowl #mango")
    return ana, bo, ana_post


def _as(server, user) -> httpx.Client:
    """An API client of `user`'s against the live server, as a phone app would be."""
    token, _ = Token.objects.get_or_create(user=user)
    return httpx.Client(
        base_url=server.url, headers={"Authorization": f"Token {token.key}"}, timeout=10
    )


def _wait_for(page, condition, timeout_ms: int = 10000) -> None:
    """Lets the page (and its event listeners) run until `condition()` holds."""
    waited = 0
    while not condition():
        assert waited < timeout_ms, f"still waiting after {timeout_ms} ms"
        page.wait_for_timeout(50)
        waited += 50


def test_new_post_pill_then_the_post_and_a_live_badge(
    mobile, asgi_live_server, ana_and_bo, screenshots_dir
):
    """Ana's open home gets a pill when Bo publishes; tapping it shows Bo's post at the top.
    Bo's comment on Ana's post turns her badge to 1, all without reloading the page."""
    ana, bo, ana_post = ana_and_bo
    asgi_live_server.sign_in(mobile.context, ana)
    frames: list = []
    mobile.on(
        "websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload))
    )
    mobile.goto(asgi_live_server.url + "/")
    # The socket is in Ana's group once the server said how many are unread.
    _wait_for(mobile, lambda: frames)
    expect(mobile.locator(f'[data-post-card="{ana_post.pk}"]')).to_be_visible()
    pill = mobile.locator("#home-pill")
    expect(pill).to_be_hidden()

    with _as(asgi_live_server, bo) as bo_app:
        created = bo_app.post(
            "/api/v1/posts",
            json={"text": "Rooftop honey, first jar", "visibility": "public", "media_ids": []},
        )
        assert created.status_code == 201, created.text

        expect(pill).to_be_visible()
        expect(pill).to_contain_text("New posts from Bo Lindqvist")
        mobile.screenshot(path=screenshots_dir / "home-pill-mobile.png")
        pill.click()

        first_card = mobile.locator("#home-feed .post-card").first
        expect(first_card).to_contain_text("Rooftop honey, first jar")
        expect(pill).to_be_hidden()
        badge = mobile.locator("#notif-badge")
        expect(badge).to_be_hidden()

        commented = bo_app.post(f"/api/v1/posts/{ana_post.pk}/comments", json={"text": "Yum!"})
        assert commented.status_code == 201, commented.text

    expect(badge).to_be_visible()
    expect(badge).to_have_text("1")
    assert mobile.evaluate("performance.getEntriesByType('navigation').length") == 1
