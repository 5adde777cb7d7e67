"""The composer in a phone-sized browser: two photos uploaded with their progress bars, a product
tagged on one by tapping it, published; the post page's tag dot opens the product card that
leads to the product page. And the progress bar seen moving on a large file over a slow link."""

from __future__ import annotations

import io
import random
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from posts.models import Post, ProductTag
from tests.factories import UserFactory
from tests.factories_commerce import ProductFactory, SKUFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads of this test land in a fresh directory."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": "/media/"},
        },
    }
    settings.API_THROTTLE = False
    return root


def _photo(name: str, colour: tuple[int, int, int], *, size=(900, 1200), noise=False) -> dict:
    """A JPEG as Playwright's set_input_files takes it; `noise` makes it large (it compresses
    badly), for the progress bar."""
    if noise:
        rng = random.Random(5)
        picture = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    else:
        picture = Image.new("RGB", size, colour)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=95)
    return {"name": name, "mimeType": "image/jpeg", "buffer": out.getvalue()}


def test_compose_tag_publish_and_shop_from_the_post(
    live_server, mobile, sign_in, screenshots_dir, outside_requests
):
    """Two photos → tap the first to tag "Golden kiwis" → publish → the post page shows both
    pictures and the tag dot → tapping it opens the product card → "View product" lands on the
    product page. No script error and no request leaves the site on the way."""
    product = ProductFactory(name="Golden kiwis")
    SKUFactory(product=product, price=2600, on_hand=10)
    author = UserFactory(username="kiwi_fan")
    page = mobile
    sign_in(page.context, author)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    outside = outside_requests(page)

    page.goto(f"{live_server.url}/compose/")
    page.locator("[data-file-input]").set_input_files(
        [_photo("kiwi-1.jpg", (120, 170, 40)), _photo("kiwi-2.jpg", (240, 200, 60))]
    )
    tiles = page.locator(".media-tile")
    expect(tiles).to_have_count(2)
    expect(page.locator('.media-tile[data-state="done"]')).to_have_count(2, timeout=20000)

    page.locator("[data-stage-img]").click(position={"x": 120, "y": 160})
    page.locator("[data-product-search]").fill("kiwi")
    result = page.get_by_role("button", name=re.compile("Golden kiwis"))
    expect(result).to_be_visible()
    page.screenshot(path=screenshots_dir / "posts-tag-search.png")
    result.click()
    expect(page.locator(".stage-tag")).to_have_text("Golden kiwis")
    page.locator("[data-text]").fill("Golden kiwis are back! So sweet #kiwi #fruit")
    page.screenshot(path=screenshots_dir / "posts-composer.png", full_page=True)
    page.get_by_role("button", name="Publish").click()

    page.wait_for_url(re.compile(r"/p/\d+/$"))
    post = Post.objects.get(author=author)
    assert post.media_items.count() == 2
    tag = ProductTag.objects.get(post=post)
    assert tag.product_id == product.pk
    assert tag.media_id == post.media_items.get(position=0).media_id
    expect(page.locator(".slide-img")).to_have_count(2)
    expect(page.get_by_text("Contains shop links")).to_be_visible()
    page.screenshot(path=screenshots_dir / "posts-detail.png")

    page.locator(".tag-dot").click()
    card = page.locator(".tag-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Golden kiwis")
    expect(card).to_contain_text("¥26.00")
    page.screenshot(path=screenshots_dir / "posts-tag-card.png")
    card.get_by_role("link", name="View product").click()

    page.wait_for_url(f"{live_server.url}/products/{product.pk}/")
    expect(page.get_by_role("heading", name="Golden kiwis")).to_be_visible()
    assert script_errors == []
    assert outside == []


def test_upload_progress_bar_moves_on_a_slow_link(live_server, mobile, sign_in, screenshots_dir):
    """With the upload throttled (CDP network emulation), the bar of a large photo is seen part
    way (strictly between 0 and 100) before the upload completes."""
    page = mobile
    sign_in(page.context, UserFactory())
    page.goto(f"{live_server.url}/compose/")
    photo = _photo("big.jpg", (0, 0, 0), size=(1400, 1000), noise=True)
    assert len(photo["buffer"]) > 1_500_000
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 20,
            "downloadThroughput": -1,
            "uploadThroughput": 400 * 1024,  # bytes per second: a few seconds for this file
        },
    )

    page.locator("[data-file-input]").set_input_files([photo])
    bar = page.locator(".media-tile-progress")
    page.wait_for_function(
        "() => { const bar = document.querySelector('.media-tile-progress');"
        " return bar && bar.value >= 20 && bar.value <= 80; }",
        timeout=15000,
    )
    midway = bar.evaluate("bar => bar.value")
    page.screenshot(path=screenshots_dir / "posts-upload-progress.png")

    assert 0 < midway < 100
    expect(page.locator('.media-tile[data-state="done"]')).to_have_count(1, timeout=30000)
    expect(bar).to_be_hidden()


def test_api_refusal_is_shown_in_words(live_server, mobile, sign_in, screenshots_dir):
    """A product that stops being for sale between tagging and publishing: the API's error is
    shown as sentences naming the tag, and nothing is published."""
    product = ProductFactory(name="Last lychees")
    SKUFactory(product=product)
    author = UserFactory()
    page = mobile
    sign_in(page.context, author)
    page.goto(f"{live_server.url}/compose/")
    page.locator("[data-file-input]").set_input_files([_photo("l.jpg", (190, 40, 60))])
    expect(page.locator('.media-tile[data-state="done"]')).to_have_count(1, timeout=20000)
    page.locator("[data-stage-img]").click(position={"x": 50, "y": 50})
    page.locator("[data-product-search]").fill("lychee")
    page.get_by_role("button", name=re.compile("Last lychees")).click()
    type(product).objects.filter(pk=product.pk).update(active=False)

    page.get_by_role("button", name="Publish").click()

    errors = page.locator("[data-errors]")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("Product tag 1")
    page.screenshot(path=screenshots_dir / "posts-composer-error.png")
    assert not Post.objects.exists()
    assert "/compose/" in page.url


def test_author_edits_a_post(live_server, mobile, sign_in):
    """The author's edit page starts from the post; saving changes its text and visibility and
    goes back to the post."""
    author = UserFactory()
    page = mobile
    sign_in(page.context, author)
    page.goto(f"{live_server.url}/compose/")
    page.locator("[data-text]").fill("First words #draft")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/p/\d+/$"))
    post = Post.objects.get(author=author)

    page.get_by_role("link", name="Edit").click()
    expect(page.locator("[data-text]")).to_have_value("First words #draft")
    page.locator("[data-text]").fill("Better words #mango")
    page.get_by_role("radio", name=re.compile("^Friends")).check()
    page.get_by_role("button", name="Save changes").click()

    page.wait_for_url(f"{live_server.url}/p/{post.pk}/")
    expect(page.locator(".post-text")).to_have_text("Better words #mango")
    post.refresh_from_db()
    assert (post.text, post.visibility) == ("Better words #mango", "friends")
