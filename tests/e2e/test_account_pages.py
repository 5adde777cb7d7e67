"""The account pages in a real browser, on a phone and on a wide screen: every page shows its key
parts, nothing is wider than the screen, and a screenshot of each lands in VAR_DIR/screenshots."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import expect

from backend.accounts.models import User
from tests.factories import BlockFactory, CloseFriendFactory, FollowFactory, UserFactory

SCREENS = ("mobile", "desktop")
LIN_BIO = "Lychee season! I rate every fruit stall in town.\nDMs open for mango tips."


@pytest.fixture
def screen(request):
    """The page fixture named by the test's `screen` parameter (`mobile` or `desktop`)."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def people(transactional_db):
    """Lin with a bio, followers and people she follows; Mei is the member looking at her."""
    mei = UserFactory(username="mei", display_name="Mei Lin")
    lin = UserFactory(username="lin_fruits", display_name="Lin's Fruit Stand", bio=LIN_BIO)
    FollowFactory(follower=mei, followee=lin)
    fans = [
        UserFactory(username="xiao_chen", display_name="小陈 Chen", bio="Dumplings, daily."),
        UserFactory(username="orchard_ana", display_name="Ana from the orchard"),
        UserFactory(
            username="a_very_long_username_indeed",
            display_name="Someone with a remarkably long display name that goes on",
            bio="A bio long enough to need cutting short on a narrow phone screen, surely.",
        ),
    ]
    for fan in fans:
        FollowFactory(follower=fan, followee=lin)
    FollowFactory(follower=lin, followee=fans[0])
    FollowFactory(follower=mei, followee=fans[1])
    FollowFactory(follower=lin, followee=mei)
    return {"mei": mei, "lin": lin, "fans": fans}


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"page is {width[0]}px wide in a {width[1]}px viewport"


def _shoot(page, screenshots_dir: Path, name: str, screen: str) -> None:
    page.screenshot(path=screenshots_dir / f"accounts-{name}-{screen}.png", full_page=True)


def _serve_media(page) -> None:
    """The live server (DEBUG off) serves no uploads; the browser reads them from MEDIA_ROOT."""

    def fulfil(route) -> None:
        relative = route.request.url.split(settings.MEDIA_URL, 1)[1]
        route.fulfill(path=str(Path(settings.MEDIA_ROOT) / relative))

    page.route(f"**{settings.MEDIA_URL}**", fulfil)


def _screen_name(page) -> str:
    return "mobile" if page.viewport_size["width"] < 768 else "desktop"


def _hold_posts(route, held: list) -> None:
    """Keeps a POST waiting (so the page's in-flight state can be seen); lets the rest through."""
    if route.request.method == "POST":
        held.append(route)
    else:
        route.continue_()


def _release_held_post(page, held: list) -> None:
    """Lets the held POST go on, once its route handler has run (events arrive while waiting)."""
    for _ in range(100):
        if held:
            held.pop().continue_()
            return
        page.wait_for_timeout(50)
    raise AssertionError("the form's POST never reached the browser's network layer")


def _png() -> bytes:
    """A 240×240 PNG that is easy to recognise in a screenshot: a pink square on orange."""
    picture = Image.new("RGB", (240, 240), (255, 170, 60))
    picture.paste((255, 51, 85), (60, 60, 180, 180))
    out = BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


# --- Signing up and in ---------------------------------------------------------------------------


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
@pytest.mark.parametrize(
    ("path", "button"), [("/signup", "Create account"), ("/signin", "Sign in")]
)
def test_sign_up_and_in_are_centred_cards(
    screen, live_server, screenshots_dir, transactional_db, path, button
):
    """The sign-up and sign-in forms are one card in the middle of the screen, fields on it."""
    screen.goto(live_server.url + path)

    card = screen.locator("form.form-card")
    expect(card).to_be_visible()
    expect(card.get_by_label("Username")).to_be_visible()
    expect(card.get_by_label("Password")).to_be_visible()
    expect(card.get_by_role("button", name=button)).to_be_visible()
    box = card.bounding_box()
    viewport = screen.viewport_size
    assert abs((box["x"] + box["width"] / 2) - viewport["width"] / 2) <= 2
    _no_sideways_scroll(screen)
    _shoot(screen, screenshots_dir, path.strip("/"), _screen_name(screen))


def test_sign_in_error_is_shown_on_the_card(mobile, live_server, screenshots_dir, people):
    """A wrong password keeps the visitor on the card with the error above the fields."""
    mobile.goto(live_server.url + "/signin")
    mobile.get_by_label("Username").fill("mei")
    mobile.get_by_label("Password").fill("not-my-password")
    mobile.get_by_role("button", name="Sign in").click()

    expect(mobile.locator(".form-errors")).to_contain_text("Wrong username or password.")
    _no_sideways_scroll(mobile)
    _shoot(mobile, screenshots_dir, "signin-error", "mobile")


# --- Profiles ------------------------------------------------------------------------------------


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_profile_shows_the_person_counts_and_buttons(
    screen, live_server, screenshots_dir, people, sign_in
):
    """Someone else's profile: big picture, name, @handle, bio, tappable counts and a row of
    buttons (Follow, close friends, Mute, Block) that all fit on the screen."""
    sign_in(screen.context, people["mei"])
    screen.goto(live_server.url + "/u/lin_fruits")

    head = screen.locator(".profile-head")
    expect(head.locator(".avatar-xl")).to_be_visible()
    expect(head.get_by_role("heading", name="Lin's Fruit Stand")).to_be_visible()
    expect(head.get_by_text("@lin_fruits")).to_be_visible()
    expect(head.locator(".profile-bio")).to_contain_text("DMs open for mango tips.")
    expect(head.locator(".followers-count")).to_have_text("4")
    expect(head.locator(".following-count")).to_have_text("2")
    expect(head.get_by_text("Friends", exact=True)).to_be_visible()
    for label in ("Unfollow", "Add to close friends", "Mute", "Block"):
        button = head.get_by_role("button", name=label, exact=True)
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= screen.viewport_size["width"]
    _no_sideways_scroll(screen)
    _shoot(screen, screenshots_dir, "profile", _screen_name(screen))


def test_profile_counts_lead_to_the_lists(mobile, live_server, people, sign_in):
    """Tapping the followers count opens the followers list."""
    sign_in(mobile.context, people["mei"])
    mobile.goto(live_server.url + "/u/lin_fruits")

    mobile.locator(".followers-count").click()

    expect(mobile).to_have_url(live_server.url + "/u/lin_fruits/followers")


def test_profile_follow_swaps_in_place(mobile, live_server, screenshots_dir, people, sign_in):
    """Follow on a profile turns into Unfollow, bumps the count and turns "Follows you" into
    "Friends", all without leaving the page."""
    ana = people["fans"][1]
    sign_in(mobile.context, people["lin"])
    mobile.goto(live_server.url + f"/u/{ana.username}")
    expect(mobile.locator(".followers-count")).to_have_text("1")
    expect(mobile.get_by_text("Follows you")).to_be_visible()

    mobile.get_by_role("button", name="Follow", exact=True).click()

    expect(mobile.get_by_role("button", name="Unfollow", exact=True)).to_be_visible()
    expect(mobile.locator(".followers-count")).to_have_text("2")
    expect(mobile.get_by_text("Friends", exact=True)).to_be_visible()
    _no_sideways_scroll(mobile)
    _shoot(mobile, screenshots_dir, "profile-followed", "mobile")


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_own_profile_offers_edit(screen, live_server, screenshots_dir, people, sign_in):
    """One's own profile, without a bio, offers Edit profile instead of the social buttons."""
    sign_in(screen.context, people["mei"])
    screen.goto(live_server.url + "/u/mei")

    expect(screen.get_by_role("link", name="Edit profile")).to_be_visible()
    expect(screen.get_by_role("button", name="Follow", exact=True)).to_have_count(0)
    _no_sideways_scroll(screen)
    _shoot(screen, screenshots_dir, "profile-own", _screen_name(screen))


def test_blocked_profile_offers_unblock(mobile, live_server, screenshots_dir, people, sign_in):
    """A profile Mei blocked says so and offers only Unblock."""
    BlockFactory(blocker=people["mei"], blocked=people["fans"][0])
    sign_in(mobile.context, people["mei"])
    mobile.goto(live_server.url + "/u/xiao_chen")

    expect(mobile.get_by_role("button", name="Unblock", exact=True)).to_be_visible()
    expect(mobile.get_by_text("You blocked")).to_be_visible()
    _no_sideways_scroll(mobile)
    _shoot(mobile, screenshots_dir, "profile-blocked", "mobile")


def test_anonymous_profile_offers_follow(desktop, live_server, screenshots_dir, people):
    """A visitor not signed in sees the profile with only a Follow button."""
    desktop.goto(live_server.url + "/u/lin_fruits")

    expect(desktop.get_by_role("button", name="Follow", exact=True)).to_be_visible()
    expect(desktop.get_by_role("button", name="Block", exact=True)).to_have_count(0)
    _no_sideways_scroll(desktop)
    _shoot(desktop, screenshots_dir, "profile-anonymous", "desktop")


# --- Lists of people -----------------------------------------------------------------------------


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
@pytest.mark.parametrize("which", ["followers", "following"])
def test_follow_lists_are_rows_of_people(
    screen, live_server, screenshots_dir, people, sign_in, which
):
    """Followers and following are rows of avatar, name and handle, each with Follow (or a
    Following state) and never wider than the screen, long names included."""
    sign_in(screen.context, people["mei"])
    screen.goto(live_server.url + f"/u/lin_fruits/{which}")

    rows = screen.locator(".people .person")
    expect(rows.first).to_be_visible()
    expect(rows.first.locator(".avatar")).to_be_visible()
    if which == "followers":
        expect(rows).to_have_count(4)
        chen = rows.filter(has_text="@xiao_chen")
        expect(chen.get_by_role("button", name="Follow", exact=True)).to_be_visible()
        expect(rows.filter(has_text="@orchard_ana")).to_contain_text("Following")
        expect(rows.filter(has_text="@mei").get_by_role("button")).to_have_count(0)
    else:
        expect(rows).to_have_count(2)
    _no_sideways_scroll(screen)
    _shoot(screen, screenshots_dir, which, _screen_name(screen))


def test_follow_from_a_list_stays_on_the_list(mobile, live_server, people, sign_in):
    """Follow in a list row follows that person and leaves Mei on the list, the row settled."""
    sign_in(mobile.context, people["mei"])
    mobile.goto(live_server.url + "/u/lin_fruits/followers")
    chen = mobile.locator(".person").filter(has_text="@xiao_chen")

    chen.get_by_role("button", name="Follow", exact=True).click()

    expect(chen).to_contain_text("Following")
    expect(mobile).to_have_url(live_server.url + "/u/lin_fruits/followers")
    assert people["mei"].follows_given.filter(followee=people["fans"][0]).exists()


def test_empty_list_says_so(mobile, live_server, screenshots_dir, people):
    """A list with nobody on it shows a friendly empty state instead of a blank card."""
    UserFactory(username="new_here")

    mobile.goto(live_server.url + "/u/new_here/following")

    expect(mobile.locator(".empty")).to_contain_text("Not following anyone yet.")
    _shoot(mobile, screenshots_dir, "following-empty", "mobile")


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
@pytest.mark.parametrize(
    ("path", "button", "name"),
    [
        ("/settings/close-friends", "Remove from close friends", "close-friends"),
        ("/settings/blocked", "Unblock", "blocked"),
    ],
)
def test_settings_lists_offer_their_action(
    screen, live_server, screenshots_dir, people, sign_in, path, button, name
):
    """The close-friends and blocked lists are rows with the undo button on each."""
    mei = people["mei"]
    for fan in people["fans"]:
        if name == "blocked":
            BlockFactory(blocker=mei, blocked=fan)
        else:
            CloseFriendFactory(owner=mei, friend=fan)
    sign_in(screen.context, mei)
    screen.goto(live_server.url + path)

    rows = screen.locator(".people .person")
    expect(rows).to_have_count(3)
    expect(rows.first.get_by_role("button", name=button)).to_be_visible()
    _no_sideways_scroll(screen)
    _shoot(screen, screenshots_dir, name, _screen_name(screen))


# --- Settings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_profile_settings_is_a_card(screen, live_server, screenshots_dir, people, sign_in):
    """Edit profile: a centred card with the picture, the fields and Save, then more settings."""
    sign_in(screen.context, people["lin"])
    screen.goto(live_server.url + "/settings/profile")

    card = screen.locator("form.form-card")
    expect(card.locator(".avatar-picker .avatar-xl").first).to_be_visible()
    expect(card.get_by_label("Display name")).to_have_value("Lin's Fruit Stand")
    expect(card.get_by_label("Bio")).to_have_value(LIN_BIO)
    expect(card.get_by_role("button", name="Save")).to_be_visible()
    expect(screen.get_by_role("link", name="Close friends")).to_be_visible()
    _no_sideways_scroll(screen)
    _shoot(screen, screenshots_dir, "settings-profile", _screen_name(screen))


def test_choosing_a_picture_previews_it(mobile, live_server, screenshots_dir, people, sign_in):
    """Choosing a file shows it in the avatar circle at once, before anything is uploaded."""
    sign_in(mobile.context, people["lin"])
    mobile.goto(live_server.url + "/settings/profile")

    mobile.set_input_files(
        "input[name=avatar]", files=[{"name": "me.png", "mimeType": "image/png", "buffer": _png()}]
    )

    preview = mobile.locator("img[data-avatar-preview]")
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("src", re.compile("^blob:"))
    assert preview.evaluate("img => img.complete && img.naturalWidth") == 240
    _no_sideways_scroll(mobile)
    _shoot(mobile, screenshots_dir, "settings-preview", "mobile")


def test_uploading_a_picture_shows_progress_then_the_profile(
    mobile, live_server, screenshots_dir, people, sign_in
):
    """Save with a new picture shows an upload progress bar while it travels, then lands on the
    profile with the new picture and a confirmation."""
    sign_in(mobile.context, people["lin"])
    _serve_media(mobile)
    held = []
    mobile.route("**/settings/profile", lambda route: _hold_posts(route, held))
    mobile.goto(live_server.url + "/settings/profile")
    mobile.set_input_files(
        "input[name=avatar]", files=[{"name": "me.png", "mimeType": "image/png", "buffer": _png()}]
    )
    mobile.get_by_label("Display name").fill("Lin, fruit fan")

    mobile.get_by_role("button", name="Save").click()
    expect(mobile.locator(".upload-progress")).to_be_visible()
    _shoot(mobile, screenshots_dir, "settings-uploading", "mobile")
    _release_held_post(mobile, held)

    expect(mobile).to_have_url(live_server.url + "/u/lin_fruits")
    expect(mobile.locator(".toast")).to_contain_text("Your profile is saved.")
    expect(mobile.locator(".profile-head img.avatar-xl")).to_be_visible()
    expect(mobile.get_by_role("heading", name="Lin, fruit fan")).to_be_visible()
    lin = User.objects.get(pk=people["lin"].pk)
    assert lin.avatar.name.endswith(".webp")
    _shoot(mobile, screenshots_dir, "profile-new-picture", "mobile")


def test_profile_settings_errors_stay_on_the_card(
    mobile, live_server, screenshots_dir, people, sign_in
):
    """A file that is not a picture comes back as an error under the picture, nothing saved."""
    sign_in(mobile.context, people["lin"])
    mobile.goto(live_server.url + "/settings/profile")
    mobile.set_input_files(
        "input[name=avatar]",
        files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"not a picture"}],
    )

    mobile.get_by_role("button", name="Save").click()

    expect(mobile.locator(".avatar-picker .errorlist")).to_contain_text("not a JPEG, PNG or WebP")
    expect(mobile).to_have_url(live_server.url + "/settings/profile")
    _no_sideways_scroll(mobile)
    _shoot(mobile, screenshots_dir, "settings-error", "mobile")
    assert not User.objects.get(pk=people["lin"].pk).avatar


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_delete_account_is_a_careful_card(screen, live_server, screenshots_dir, people, sign_in):
    """Delete account explains what goes, asks for the password and offers a way back."""
    sign_in(screen.context, people["mei"])
    screen.goto(live_server.url + "/settings/delete-account")

    card = screen.locator("form.form-card")
    expect(card.get_by_label("Password")).to_be_visible()
    expect(card.get_by_role("button", name="Delete my account")).to_be_visible()
    expect(screen.get_by_role("link", name="Keep my account")).to_be_visible()
    _no_sideways_scroll(screen)
    _shoot(screen, screenshots_dir, "delete-account", _screen_name(screen))
