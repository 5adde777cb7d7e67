"""The share sheet in a phone-sized browser: a sharer opens it on a product page (the link is
made then), copies the short link and sees its QR code; a visitor gets the page's own link and
a hint to sign in; on a post page a friend gets a link per tagged product."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from shoplinks.models import ShareLink
from tests.factories import UserFactory
from tests.factories_commerce import ProductFactory, ProductImageFactory, SKUFactory
from tests.factories_posts import PostFactory, ProductTagFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _product(name: str):
    product = ProductFactory(name=name)
    ProductImageFactory(product=product)
    SKUFactory(product=product, price=2800, on_hand=10)
    return product


def test_a_sharer_copies_their_link_and_sees_its_qr(
    live_server, new_context, sign_in, screenshots_dir
):
    """On the product page, "Share and earn" opens the sheet and makes the link; Copy puts the
    short URL on the clipboard; the QR code is drawn; the sheet closes again."""
    product = _product("Golden pineapples")
    sharer = UserFactory(username="pine_fan")
    context = new_context(**PHONE, permissions=["clipboard-read", "clipboard-write"])
    sign_in(context, sharer)
    page = context.new_page()

    page.goto(f"{live_server.url}/products/{product.pk}/")
    page.get_by_role("button", name="Share and earn").click()

    sheet = page.get_by_role("dialog")
    expect(sheet).to_be_visible()
    url_field = sheet.get_by_label("Link to share")
    expect(url_field).to_have_value(re.compile(rf"^{live_server.url}/s/[A-Za-z0-9]+$"))
    link = ShareLink.objects.get(sharer=sharer, product=product)
    assert url_field.input_value() == f"{live_server.url}/s/{link.code}"
    expect(sheet.locator("svg.share-qr")).to_be_visible()
    assert sheet.locator("svg.share-qr").bounding_box()["width"] >= 100
    page.screenshot(path=screenshots_dir / "shoplinks-share-sheet.png", animations="disabled")

    sheet.get_by_role("button", name="Copy link").click()
    expect(sheet.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/s/{link.code}"

    sheet.get_by_role("button", name="Close").click()
    expect(sheet).to_be_hidden()
    assert ShareLink.objects.count() == 1


def test_a_visitor_shares_the_page_and_is_invited_to_sign_in(
    live_server, new_context, screenshots_dir
):
    """Anonymous: the sheet shares the product page's own URL, with no link made, and says that
    signing in earns a commission."""
    product = _product("Red dragon fruit")
    page = new_context(**PHONE).new_page()

    page.goto(f"{live_server.url}/products/{product.pk}/")
    page.get_by_role("button", name="Share", exact=True).click()

    sheet = page.get_by_role("dialog")
    expect(sheet.get_by_label("Link to share")).to_have_value(
        f"{live_server.url}/products/{product.pk}/"
    )
    expect(sheet.locator("svg.share-qr")).to_be_visible()
    expect(sheet.get_by_role("link", name="Sign in")).to_be_visible()
    page.screenshot(path=screenshots_dir / "shoplinks-share-visitor.png", animations="disabled")
    assert not ShareLink.objects.exists()


def test_a_friend_reshares_a_post_with_a_link_per_product(
    live_server, new_context, sign_in, screenshots_dir
):
    """On a friend's post tagging two products, the sheet holds one link for each, both
    remembering the post."""
    author = UserFactory(username="fruit_lady", display_name="Fruit Lady")
    post = PostFactory(author=author, text="Market haul: mangoes and lychees")
    for name in ("Tainong mangoes", "Feizixiao lychees"):
        ProductTagFactory(post=post, product=_product(name))
    friend = UserFactory(username="friend")
    context = new_context(**PHONE)
    sign_in(context, friend)
    page = context.new_page()

    page.goto(f"{live_server.url}/p/{post.pk}/")
    expect(
        page.get_by_text("Contains shop links: the author may earn a commission")
    ).to_be_visible()
    page.get_by_role("button", name="Share and earn").click()

    sheet = page.get_by_role("dialog")
    expect(sheet.locator("[data-share-item]")).to_have_count(2)
    expect(sheet.get_by_text("Tainong mangoes", exact=True)).to_be_visible()
    expect(sheet.locator("svg.share-qr")).to_have_count(2)
    page.screenshot(path=screenshots_dir / "shoplinks-post-share.png", animations="disabled")
    assert ShareLink.objects.filter(sharer=friend, post=post).count() == 2
