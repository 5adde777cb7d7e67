"""Search in a phone-sized browser: from the shell's magnifier, type a fruit, see results arrive
as you type (no reload), sort them, switch tabs, and open a result."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from posts.services.content import store_hashtags
from tests.factories import UserFactory
from tests.factories_commerce import ProductFactory, SKUFactory
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _post(text: str, **fields):
    post = PostFactory(text=text, **fields)
    store_hashtags(post)
    return post


def test_search_for_a_fruit_and_open_a_result(live_server, mobile, sign_in, screenshots_dir):
    reader = UserFactory(username="reader", display_name="Reader")
    mei = UserFactory(username="mei_bakes", display_name="Mei")
    best = _post("Mango sticky rice, ripe mango everywhere #mango", author=mei)
    loved = _post("A mango on the side", like_count=40)
    _post("Lychee night #lychee")
    product = ProductFactory(name="Alphonso mango box")
    SKUFactory(product=product, price=3990)
    page = mobile
    sign_in(page.context, reader)

    page.goto(f"{live_server.url}/")
    page.locator(".topbar .search-link").click()
    expect(page).to_have_url(re.compile(r"/search$"))
    page.evaluate("window.__sameDocument = true")

    page.locator("#search-q").press_sequentially("mango", delay=40)
    cards = page.locator("#search-results .post-card")
    expect(cards).to_have_count(2)
    expect(cards.first).to_have_attribute("data-post-card", str(best.pk))
    expect(page).to_have_url(re.compile(r"q=mango"))
    page.screenshot(path=screenshots_dir / "search-posts.png", full_page=True)

    page.get_by_role("link", name="Most liked").click()
    expect(cards.first).to_have_attribute("data-post-card", str(loved.pk))

    page.locator(".search-tabs").get_by_role("link", name="Products").click()
    expect(page.locator("[data-search-product]")).to_have_count(1)
    expect(page.locator("[data-search-product]")).to_contain_text("Alphonso mango box")
    page.screenshot(path=screenshots_dir / "search-products.png", full_page=True)
    assert page.evaluate("window.__sameDocument") is True

    page.locator(".search-tabs").get_by_role("link", name="Posts").click()
    expect(cards).to_have_count(2)
    cards.first.click()
    expect(page).to_have_url(re.compile(rf"/p/{best.pk}/?$"))
    expect(page.get_by_text("Mango sticky rice").first).to_be_visible()


def test_people_search_and_follow_in_place(live_server, mobile, sign_in):
    reader = UserFactory(username="reader", display_name="Reader")
    UserFactory(username="mei_bakes", display_name="Mei Bakes")
    page = mobile
    sign_in(page.context, reader)

    page.goto(f"{live_server.url}/search?type=users")
    page.locator("#search-q").fill("mei")
    row = page.locator('[data-search-user="mei_bakes"]')
    expect(row).to_be_visible()
    row.get_by_role("button", name="Follow").click()
    expect(row.get_by_role("button", name="Following")).to_be_disabled()
