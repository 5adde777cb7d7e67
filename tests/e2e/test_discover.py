"""Discover in a real browser: tap a category chip and the grid shows only that category's posts,
the chip marked and kept in the URL (a reload keeps it); friends who bought a product show on
its page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from feed.discover.scores import refresh_scores
from tests.commerce.lifecycle_support import paid_order
from tests.factories import FollowFactory, UserFactory
from tests.factories_commerce import CategoryFactory, ProductFactory, SKUFactory
from tests.factories_posts import PostFactory, ProductTagFactory


@pytest.fixture
def ranked(transactional_db):
    fruit = CategoryFactory(name="Orchard", slug="e2e-orchard", position=0)
    bakery = CategoryFactory(name="Ovens", slug="e2e-ovens", position=1)
    mango = PostFactory(text="Mango season #mango", like_count=5)
    ProductTagFactory(post=mango, product=ProductFactory(category=fruit, name="Mango box"))
    bread = PostFactory(text="Sourdough morning", like_count=9)
    ProductTagFactory(post=bread, product=ProductFactory(category=bakery, name="Sourdough"))
    plain = PostFactory(text="Just lunch", like_count=20)
    refresh_scores()
    return mango, bread, plain


def test_tap_a_category_chip(live_server, mobile, sign_in, ranked, screenshots_dir):
    mango, bread, plain = ranked
    page = mobile
    sign_in(page.context, UserFactory())
    page.goto(f"{live_server.url}/discover/")
    for post in (mango, bread, plain):
        expect(page.locator(f'[data-post-card="{post.pk}"]')).to_be_visible()
    expect(page.locator('.chip[data-chip="all"]')).to_have_attribute("aria-current", "page")

    page.locator('.chip[data-chip="e2e-orchard"]').tap()
    expect(page).to_have_url(re.compile(r"/discover/\?category=e2e-orchard$"))
    expect(page.locator(f'[data-post-card="{mango.pk}"]')).to_be_visible()
    expect(page.locator(f'[data-post-card="{bread.pk}"]')).to_have_count(0)
    expect(page.locator(f'[data-post-card="{plain.pk}"]')).to_have_count(0)
    expect(page.locator('.chip[data-chip="e2e-orchard"]')).to_have_attribute("aria-current", "page")
    page.screenshot(path=str(screenshots_dir / "discover-chip.png"))

    page.reload()
    expect(page.locator(f'[data-post-card="{mango.pk}"]')).to_be_visible()
    expect(page.locator(f'[data-post-card="{plain.pk}"]')).to_have_count(0)
    page.locator('.chip[data-chip="all"]').tap()
    expect(page.locator(f'[data-post-card="{plain.pk}"]')).to_be_visible()


def test_friends_who_bought_on_the_product_page(live_server, mobile, sign_in, transactional_db):
    me = UserFactory(username="me")
    ana = UserFactory(username="ana", display_name="Ana")
    FollowFactory(follower=me, followee=ana)
    FollowFactory(follower=ana, followee=me)
    sku = SKUFactory(on_hand=10)
    paid_order((sku, 1), buyer=ana)
    sign_in(mobile.context, me)
    mobile.goto(f"{live_server.url}/products/{sku.product_id}/")
    slot = mobile.locator("#product-bought")
    expect(slot).to_contain_text("Ana bought this")
