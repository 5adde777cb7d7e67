"""Account pages through Django's test client: sign up/in/out, profiles and their buttons."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from backend.accounts.models import Block, CloseFriend, Follow, Mute, User
from tests.backend.accounts.conftest import picture
from tests.factories import (
    DEFAULT_PASSWORD,
    BlockFactory,
    CloseFriendFactory,
    FollowFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STRONG = "orchard-Lychee-77"
FOLLOW_BUTTON = ">Follow</button>"
UNFOLLOW_BUTTON = ">Unfollow</button>"


@pytest.fixture
def me(client):
    user = UserFactory(username="me")
    client.force_login(user)
    return user


@pytest.fixture
def lin():
    return UserFactory(username="lin", display_name="Lin's Fruit", bio="Lychee season!")


def signed_in_user(client):
    return client.get(reverse("web:home")).wsgi_request.user


# --- Sign up, in, out --------------------------------------------------------------------------


def test_signup_page_shows_the_three_fields(client):
    """The sign-up form asks for username, email and password."""
    html = client.get(reverse("accounts:signup")).content.decode()

    for name in ("username", "email", "password"):
        assert f'name="{name}"' in html


def test_signup_creates_the_account_and_signs_in(
    client, settings, delivered, django_capture_on_commit_callbacks
):
    """Signing up on the page creates the user, signs them in and publishes the sign-in with
    the visitor cookie."""
    client.cookies[settings.VISITOR_COOKIE_NAME] = "visitor7"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            {"username": "lychee", "email": "l@example.com", "password": STRONG},
        )

    user = User.objects.get(username="lychee")
    assert response.status_code == 302
    assert signed_in_user(client) == user
    assert delivered == [("user.signed_in", {"user": user.pk, "visitor": "visitor7"})]


def test_signup_with_a_taken_username_shows_the_error(client):
    """A taken username is shown on the form, and nobody new is created."""
    UserFactory(username="lychee")

    response = client.post(
        reverse("accounts:signup"),
        {"username": "lychee", "email": "l@example.com", "password": STRONG},
    )

    assert response.status_code == 200
    assert "That username is taken." in response.content.decode()
    assert User.objects.count() == 1


def test_signup_with_a_weak_password_shows_why(client):
    """A weak password is refused with the validator's reason."""
    response = client.post(
        reverse("accounts:signup"),
        {"username": "lychee", "email": "l@example.com", "password": "12345678"},
    )

    assert "entirely numeric" in response.content.decode()
    assert not User.objects.exists()


def test_signin_honours_a_safe_next(client, lin, delivered, django_capture_on_commit_callbacks):
    """Signing in goes to ?next= on this site, and publishes the sign-in."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{reverse('accounts:signin')}?next=/u/lin",
            {"username": "lin", "password": DEFAULT_PASSWORD},
        )

    assert response["Location"] == "/u/lin"
    assert signed_in_user(client) == lin
    assert delivered == [("user.signed_in", {"user": lin.pk, "visitor": None})]


def test_signin_ignores_a_next_to_another_site(client, lin):
    """An off-site ?next= is ignored: no open redirect."""
    response = client.post(
        reverse("accounts:signin"),
        {"username": "lin", "password": DEFAULT_PASSWORD, "next": "https://evil.example/x"},
    )

    assert response["Location"] == reverse("web:home")


def test_signin_with_a_wrong_password_says_so(client, lin):
    """Wrong credentials re-show the form with the reason; nobody is signed in."""
    response = client.post(reverse("accounts:signin"), {"username": "lin", "password": "nope"})

    assert response.status_code == 200
    assert "Wrong username or password." in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_signin_page_is_locked_after_repeated_failures(client, lin, settings):
    """The page shares the lockout: after the failures it answers 429 with the wait."""
    settings.SIGNIN_LOCKOUT_FAILURES = 2
    for _ in range(2):
        client.post(reverse("accounts:signin"), {"username": "lin", "password": "nope"})

    response = client.post(
        reverse("accounts:signin"), {"username": "lin", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_signout_is_post_only(client, me):
    """GET does not sign out (405); POST does."""
    assert client.get(reverse("accounts:signout")).status_code == 405
    assert signed_in_user(client) == me

    client.post(reverse("accounts:signout"))

    assert not signed_in_user(client).is_authenticated


# --- Profiles ----------------------------------------------------------------------------------


def test_profile_shows_name_bio_counts_and_follow(client, me, lin):
    """A profile shows the person, their counts and a Follow button."""
    FollowFactory(follower=UserFactory(), followee=lin)

    html = client.get(reverse("accounts:profile", args=["lin"])).content.decode()

    assert "Lin&#x27;s Fruit" in html
    assert "Lychee season!" in html
    assert '<strong class="followers-count">1</strong>' in html
    assert FOLLOW_BUTTON in html
    for label in ("Block", "Mute", "Add to close friends"):
        assert f">{label}</button>" in html


def test_profile_for_anonymous_visitors_offers_only_follow(client, lin):
    """Visitors not signed in see the profile and a Follow button, nothing else."""
    html = client.get(reverse("accounts:profile", args=["lin"])).content.decode()

    assert FOLLOW_BUTTON in html
    assert ">Block</button>" not in html


def test_own_profile_offers_edit_not_follow(client, me):
    """On my own profile: Edit profile, no Follow."""
    html = client.get(reverse("accounts:profile", args=["me"])).content.decode()

    assert "Edit profile" in html
    assert FOLLOW_BUTTON not in html


def test_profile_url_with_other_letter_case_redirects(client, lin):
    """/u/LIN redirects to /u/lin."""
    response = client.get(reverse("accounts:profile", args=["LIN"]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile", args=["lin"])


def test_profile_of_someone_who_blocked_me_is_404(client, me, lin):
    """A user who blocked me does not exist for me."""
    BlockFactory(blocker=lin, blocked=me)

    assert client.get(reverse("accounts:profile", args=["lin"])).status_code == 404
    assert client.get(reverse("accounts:followers", args=["lin"])).status_code == 404


def test_profile_of_someone_i_blocked_offers_only_unblock(client, me, lin):
    """The blocker sees an Unblock button, not the bio or counts."""
    BlockFactory(blocker=me, blocked=lin)

    html = client.get(reverse("accounts:profile", args=["lin"])).content.decode()

    assert ">Unblock</button>" in html
    assert "Lychee season!" not in html
    assert FOLLOW_BUTTON not in html


@pytest.mark.parametrize("name", ["nobody", "a\x00b", "x" * 5000])
def test_unknown_profile_is_404(client, name):
    """A username nobody has (or nobody could have) is a 404 page."""
    assert client.get(reverse("accounts:profile", args=[name])).status_code == 404


def test_follow_via_page_redirects_back_with_unfollow(client, me, lin):
    """A plain form post follows, returns to the profile, which now says Unfollow."""
    response = client.post(reverse("accounts:follow", args=["lin"]), follow=True)

    html = response.content.decode()
    assert Follow.objects.filter(follower=me, followee=lin).exists()
    assert response.redirect_chain[-1][0] == reverse("accounts:profile", args=["lin"])
    assert UNFOLLOW_BUTTON in html
    assert '<strong class="followers-count">1</strong>' in html
    assert "You follow Lin&#x27;s Fruit." in html


def test_follow_via_htmx_swaps_the_button_area(client, me, lin):
    """An htmx post answers the counts-and-buttons fragment, now with Unfollow."""
    response = client.post(reverse("accounts:follow", args=["lin"]), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="profile-social"')
    assert UNFOLLOW_BUTTON in html
    assert '<strong class="followers-count">1</strong>' in html


def test_unfollow_via_page(client, me, lin):
    """Unfollow removes the follow."""
    FollowFactory(follower=me, followee=lin)

    client.post(reverse("accounts:unfollow", args=["lin"]))

    assert not Follow.objects.exists()


def test_follow_when_signed_out_goes_to_signin(client, lin):
    """A visitor pressing Follow is sent to sign in, then back to the profile."""
    response = client.post(reverse("accounts:follow", args=["lin"]))

    assert response["Location"] == f"{reverse('accounts:signin')}?next=%2Fu%2Flin"
    assert not Follow.objects.exists()


def test_follow_when_signed_out_via_htmx_redirects_the_page(client, lin):
    """With htmx, the redirect to sign in is asked of the browser with HX-Redirect."""
    response = client.post(reverse("accounts:follow", args=["lin"]), headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith(reverse("accounts:signin"))


def test_block_via_page_removes_follows_and_shows_unblock(client, me, lin):
    """Blocking from the profile removes follows both ways; the profile then offers Unblock."""
    FollowFactory(follower=me, followee=lin)
    FollowFactory(follower=lin, followee=me)

    response = client.post(reverse("accounts:block", args=["lin"]), follow=True)

    assert Block.objects.filter(blocker=me, blocked=lin).exists()
    assert not Follow.objects.exists()
    assert ">Unblock</button>" in response.content.decode()


def test_unblock_via_page(client, me, lin):
    """Unblock lifts my block."""
    BlockFactory(blocker=me, blocked=lin)

    client.post(reverse("accounts:unblock", args=["lin"]))

    assert not Block.objects.exists()


def test_mute_and_close_friend_via_page(client, me, lin):
    """Mute and Add to close friends work from the profile, and show their undo buttons."""
    client.post(reverse("accounts:mute", args=["lin"]))
    response = client.post(reverse("accounts:add_close_friend", args=["lin"]), follow=True)

    html = response.content.decode()
    assert Mute.objects.filter(muter=me, muted=lin).exists()
    assert CloseFriend.objects.filter(owner=me, friend=lin).exists()
    assert ">Unmute</button>" in html
    assert ">Remove from close friends</button>" in html


def test_follow_myself_via_page_is_refused_with_a_message(client, me):
    """Following oneself changes nothing and says why."""
    response = client.post(reverse("accounts:follow", args=["me"]), follow=True)

    assert not Follow.objects.exists()
    assert "You cannot do that to yourself." in response.content.decode()


def test_profile_actions_are_post_only(client, me, lin):
    """GET on an action URL does nothing (405)."""
    assert client.get(reverse("accounts:follow", args=["lin"])).status_code == 405
    assert not Follow.objects.exists()


def test_followers_page_lists_people_in_bounded_queries(
    client, me, lin, django_assert_max_num_queries
):
    """The followers page lists followers; its query count does not grow with the list."""
    for index in range(12):
        FollowFactory(follower=UserFactory(display_name=f"Fan {index}"), followee=lin)

    with django_assert_max_num_queries(8):
        html = client.get(reverse("accounts:followers", args=["lin"])).content.decode()

    assert "Fan 0" in html
    assert "Fan 11" in html


def test_following_page(client, lin):
    """The following page lists whom the user follows."""
    FollowFactory(follower=lin, followee=UserFactory(display_name="Mei Bakes"))

    assert "Mei Bakes" in client.get(reverse("accounts:following", args=["lin"])).content.decode()


# --- Settings ----------------------------------------------------------------------------------


def test_settings_pages_need_sign_in(client):
    """Settings pages send visitors to sign in first."""
    for name in ("profile_edit", "delete_account", "close_friends", "blocked"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:signin"))


def test_profile_edit_saves_name_bio_and_picture(client, me):
    """The profile form saves the name, the bio and a picture."""
    upload = SimpleUploadedFile("me.jpg", picture("JPEG").read(), content_type="image/jpeg")

    response = client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "Mango Me", "bio": "Mangoes", "avatar": upload},
    )

    me.refresh_from_db()
    assert response["Location"] == reverse("accounts:profile", args=["me"])
    assert (me.display_name, me.bio) == ("Mango Me", "Mangoes")
    assert me.avatar.name.endswith(".webp")


def test_profile_edit_through_htmx_sends_the_browser_to_the_profile(client, me):
    """Saved in the background (htmx, for the upload progress), the answer tells the browser to
    open the profile itself, so the confirmation is shown there rather than eaten by the XHR."""
    response = client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "Mango Me", "bio": ""},
        headers={"HX-Request": "true"},
    )

    me.refresh_from_db()
    assert response["HX-Redirect"] == reverse("accounts:profile", args=["me"])
    assert me.display_name == "Mango Me"


def test_profile_edit_refuses_a_file_that_is_not_a_picture(client, me):
    """A non-picture is refused on the avatar field; nothing is saved."""
    upload = SimpleUploadedFile("me.jpg", b"not a picture", content_type="image/jpeg")

    response = client.post(
        reverse("accounts:profile_edit"), {"display_name": "New", "bio": "", "avatar": upload}
    )

    me.refresh_from_db()
    assert response.status_code == 200
    assert "not a JPEG, PNG or WebP picture" in response.content.decode()
    assert me.display_name != "New"


def test_delete_account_needs_the_password(client, me):
    """The wrong password deletes nothing."""
    response = client.post(reverse("accounts:delete_account"), {"password": "nope"})

    me.refresh_from_db()
    assert "That is not your password." in response.content.decode()
    assert me.anonymised_at is None


def test_delete_account_anonymises_and_signs_out(client, me):
    """With the password the account is anonymised and the session ends."""
    client.post(reverse("accounts:delete_account"), {"password": DEFAULT_PASSWORD})

    me.refresh_from_db()
    assert me.anonymised_at is not None
    assert not signed_in_user(client).is_authenticated


def test_close_friends_page_lists_and_removes(client, me, lin):
    """The close-friends settings page lists them; Remove takes one off and comes back."""
    CloseFriendFactory(owner=me, friend=lin)
    page = reverse("accounts:close_friends")

    assert "Lin&#x27;s Fruit" in client.get(page).content.decode()
    response = client.post(reverse("accounts:remove_close_friend", args=["lin"]), {"next": page})

    assert response["Location"] == page
    assert not CloseFriend.objects.exists()


def test_blocked_page_lists_whom_i_block(client, me, lin):
    """The blocked settings page lists blocked people with Unblock."""
    BlockFactory(blocker=me, blocked=lin)

    html = client.get(reverse("accounts:blocked")).content.decode()

    assert "Lin&#x27;s Fruit" in html
    assert ">Unblock</button>" in html
