"""The first walk through the product in a real browser: sign up, follow someone, see it stick."""

import pytest
from playwright.sync_api import expect

from backend.accounts.models import Follow, User
from tests.factories import UserFactory


@pytest.fixture
def lin(transactional_db):
    return UserFactory(username="lin_fruits", display_name="Lin's Fruit", bio="Lychee season!")


@pytest.mark.e2e
def test_sign_up_follow_and_see_the_profile(page, live_server, lin, screenshots_dir):
    """A newcomer signs up on the page, follows Lin from her profile, and the profile then
    offers Unfollow with one more follower, also after a reload."""
    page.goto(f"{live_server.url}/signup")
    page.get_by_label("Username").fill("mango_fan")
    page.get_by_label("Email").fill("mango@example.com")
    page.get_by_label("Password").fill("orchard-Lychee-77")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/u/lin_fruits")
    expect(page.locator(".followers-count")).to_have_text("0")
    page.get_by_role("button", name="Follow", exact=True).click()

    expect(page.get_by_role("button", name="Unfollow", exact=True)).to_be_visible()
    expect(page.locator(".followers-count")).to_have_text("1")
    page.reload()
    expect(page.get_by_role("button", name="Unfollow", exact=True)).to_be_visible()
    expect(page.locator(".followers-count")).to_have_text("1")
    page.screenshot(path=screenshots_dir / "profile-followed.png", full_page=True)
    newcomer = User.objects.get(username="mango_fan")
    assert Follow.objects.filter(follower=newcomer, followee=lin).exists()
