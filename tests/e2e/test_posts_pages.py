"""The post page, the profile grid and the product page's slot in a phone-sized browser: like,
save into a collection and comment without the page reloading; the carousel's dots; photos
reordered by dragging in the composer."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from media.services import media_process, media_upload
from posts.models import Collection, Comment, Like, Post
from posts.seed_images import post_picture
from posts.services import post_create
from tests.factories import FollowFactory, UserFactory
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


def _picture(owner, scene: str, colour: tuple[int, int, int], seed: int) -> int:
    data = post_picture(scene=scene, colour=colour, seed=seed)
    media = media_upload(owner=owner, upload=SimpleUploadedFile("p.jpg", data, "image/jpeg"))
    return media_process(media_id=media.pk).pk


def _post(author, product=None, *, pictures=2, text="Mango morning #mango @friend") -> Post:
    media_ids = [
        _picture(author, scene, (246, 178, 38), seed)
        for seed, scene in enumerate(("bowl", "slices", "berries")[:pictures])
    ]
    tags = (
        [{"product_id": product.pk, "media_id": media_ids[0], "x": 0.4, "y": 0.5}]
        if product
        else []
    )
    return post_create(
        author=author,
        text=text,
        media_ids=media_ids,
        visibility="public",
        status="published",
        location="Nanshan night market",
        tags=tags,
    )


def test_like_save_and_comment_without_reloading(live_server, mobile, sign_in, screenshots_dir):
    """On the post page a like, a save into a new collection and a comment all land without a
    navigation: the page keeps a marker set before them."""
    author = UserFactory(username="mango_lady", display_name="Mango Lady")
    reader = UserFactory(username="friend")
    product = ProductFactory(name="Tainong mangoes")
    SKUFactory(product=product, price=3990)
    post = _post(author, product)
    page = mobile
    sign_in(page.context, reader)

    page.goto(f"{live_server.url}/p/{post.pk}/")
    page.evaluate("window.__sameDocument = true")
    expect(page.locator(".carousel-dot")).to_have_count(2)
    page.screenshot(path=screenshots_dir / "posts-page.png")

    page.locator(".post-like").click()
    expect(page.locator(".post-like")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-like-count]")).to_have_text("1")

    page.locator(".post-save-picker summary").click()
    page.get_by_placeholder(re.compile("new collection")).fill("Summer fruit")
    page.locator(".save-sheet").get_by_role("button", name="Save").click()
    expect(page.locator(".post-save")).to_have_attribute("aria-pressed", "true")

    page.locator("#comment-text").fill("Where did you buy these? @mango_lady")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".comment")).to_contain_text("Where did you buy these?")
    expect(page.locator("[data-comment-count]")).to_have_text("1")
    page.screenshot(path=screenshots_dir / "posts-page-engaged.png", full_page=True)

    assert page.evaluate("window.__sameDocument") is True
    assert Like.objects.filter(post=post, user=reader).exists()
    assert Collection.objects.get(owner=reader).name == "Summer fruit"
    assert Comment.objects.filter(post=post, author=reader).count() == 1


def test_profile_grid_and_product_slot(live_server, mobile, sign_in, screenshots_dir):
    """The profile page loads the two-column grid of the user's posts; the product page's slot
    shows the posts tagging the product; a card opens its post."""
    author = UserFactory(username="mango_lady", display_name="Mango Lady")
    viewer = UserFactory(username="friend")
    FollowFactory(follower=viewer, followee=author)
    product = ProductFactory(name="Tainong mangoes")
    SKUFactory(product=product, price=3990)
    posts = [_post(author, product if n % 2 == 0 else None, pictures=1) for n in range(4)]
    page = mobile
    sign_in(page.context, viewer)

    page.goto(f"{live_server.url}/u/{author.username}")
    cards = page.locator("#profile-posts .post-card")
    expect(cards).to_have_count(4)
    page.screenshot(path=screenshots_dir / "posts-profile-grid.png", full_page=True)

    page.goto(f"{live_server.url}/products/{product.pk}/")
    page.locator("#product-posts").scroll_into_view_if_needed()
    slot_cards = page.locator("#product-posts .post-card")
    expect(slot_cards).to_have_count(2)
    expect(page.get_by_role("heading", name="Posts about this product")).to_be_visible()
    page.screenshot(path=screenshots_dir / "posts-product-slot.png", full_page=True)
    slot_cards.first.click()

    page.wait_for_url(re.compile(r"/p/\d+/$"))
    assert int(page.url.rstrip("/").rsplit("/", 1)[1]) in {posts[0].pk, posts[2].pk}


def test_drag_reorders_the_photos(live_server, mobile, sign_in):
    """Dragging the third photo onto the first puts it first; the post keeps that order."""
    author = UserFactory()
    page = mobile
    sign_in(page.context, author)
    files = [
        {
            "name": f"{n}.jpg",
            "mimeType": "image/jpeg",
            "buffer": post_picture(scene="bowl", colour=colour, seed=n),
        }
        for n, colour in enumerate(((200, 40, 40), (40, 160, 60), (40, 80, 200)))
    ]

    page.goto(f"{live_server.url}/compose/")
    page.locator("[data-file-input]").set_input_files(files)
    expect(page.locator('.media-tile[data-state="done"]')).to_have_count(3, timeout=20000)
    keys = page.locator(".media-tile").evaluate_all("tiles => tiles.map(t => t.dataset.key)")
    first = page.locator(".media-tile").nth(0).bounding_box()
    third = page.locator(".media-tile").nth(2).bounding_box()
    page.mouse.move(third["x"] + 30, third["y"] + 30)
    page.mouse.down()
    page.mouse.move(third["x"] + 10, third["y"] + 30, steps=3)
    page.mouse.move(first["x"] + 20, first["y"] + 30, steps=8)
    page.mouse.up()

    order = page.locator(".media-tile").evaluate_all("tiles => tiles.map(t => t.dataset.key)")
    assert order == [keys[2], keys[0], keys[1]]
    page.locator("[data-text]").fill("Three colours")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/p/\d+/$"))
    post = Post.objects.get(author=author)
    sizes = list(post.media_items.order_by("position").values_list("media__size_bytes", flat=True))
    assert sizes == [len(files[2]["buffer"]), len(files[0]["buffer"]), len(files[1]["buffer"])]
