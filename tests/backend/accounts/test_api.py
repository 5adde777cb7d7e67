"""API.md "Accounts and social graph", row by row, with the error shape for every bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from backend.accounts.models import Block, CloseFriend, Follow, Mute, User
from backend.api.throttles import AuthRate
from tests.backend.accounts.conftest import picture
from tests.factories import (
    DEFAULT_PASSWORD,
    BlockFactory,
    FollowFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"
STRONG = "orchard-Lychee-77"


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    return body["error"]


@pytest.fixture
def me(client_for):
    user = UserFactory(username="me", display_name="Me Myself", bio="Fruit lover")
    return user, client_for(user)


# --- POST auth/register ----------------------------------------------------------------------


def test_register_answers_201_with_a_working_token(api_client):
    """Sign-up answers id, username and a token that authenticates at once."""
    response = api_client.post(
        f"{API}auth/register",
        {"username": "lychee", "email": "l@example.com", "password": STRONG},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "username", "token"}
    assert body["username"] == "lychee"
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api_client.get(f"{API}me").json()["id"] == body["id"]


def test_register_publishes_signed_in_with_the_visitor_cookie(
    api_client, settings, delivered, django_capture_on_commit_callbacks
):
    """The visitor cookie's id travels with `user.signed_in`."""
    api_client.cookies[settings.VISITOR_COOKIE_NAME] = "visitor42"

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            f"{API}auth/register/",
            {"username": "lychee", "email": "l@example.com", "password": STRONG},
            format="json",
        )

    assert delivered == [
        ("user.signed_in", {"user": response.json()["id"], "visitor": "visitor42"})
    ]


def test_register_username_taken(api_client):
    """A taken username is a 400 username_taken naming the field."""
    UserFactory(username="lychee")

    response = api_client.post(
        f"{API}auth/register",
        {"username": "Lychee", "email": "l@example.com", "password": STRONG},
        format="json",
    )

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "username_taken"
    assert "username" in error["fields"]


def test_register_weak_password(api_client):
    """A weak password is a 400 weak_password with the reasons on the field."""
    response = api_client.post(
        f"{API}auth/register",
        {"username": "lychee", "email": "l@example.com", "password": "12345678"},
        format="json",
    )

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "weak_password"
    assert error["fields"]["password"]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "lychee"},
        {"username": ["lychee"], "email": "l@example.com", "password": STRONG},
        {"username": "lychee", "email": {"a": 1}, "password": STRONG},
        {"username": "lychee", "email": "l@example.com", "password": None},
        {"username": "x" * 10_000, "email": "l@example.com", "password": STRONG},
        {"username": "lychee", "email": "l@example.com", "password": "p" * 10_000},
        {"username": "ly\x00chee", "email": "l@example.com", "password": STRONG},
        {"username": "lychee", "email": "not an email", "password": STRONG},
    ],
    ids=[
        "empty",
        "missing",
        "list",
        "object",
        "null",
        "huge-username",
        "huge-password",
        "nul-byte",
        "bad-email",
    ],
)
def test_register_bad_input_is_400_and_creates_nothing(api_client, body):
    """Missing fields, wrong types, huge strings: 400 in the error shape, nobody created."""
    response = api_client.post(f"{API}auth/register", body, format="json")

    assert response.status_code == 400
    error_of(response)
    assert not User.objects.exists()


def test_register_malformed_json(api_client):
    """Broken JSON is a 400 malformed_request."""
    response = api_client.post(
        f"{API}auth/register", data='{"username": ', content_type="application/json"
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_request"


def test_register_json_that_is_not_an_object(api_client):
    """A JSON list where an object is expected is a 400, not a 500."""
    response = api_client.post(
        f"{API}auth/register", data="[1, 2]", content_type="application/json"
    )

    assert response.status_code == 400
    error_of(response)


def test_auth_endpoints_are_throttled_by_the_auth_rate(api_client, monkeypatch):
    """Sign-up and sign-in share the strict "auth" rate: beyond it, 429 throttled."""
    monkeypatch.setattr(AuthRate, "THROTTLE_RATES", {"auth": "2/min"})
    body = {"username": "nobody", "password": "wrong-password"}

    statuses = [api_client.post(f"{API}auth/token", body, format="json") for _ in range(3)]

    assert [r.status_code for r in statuses] == [400, 400, 429]
    assert error_of(statuses[-1])["code"] == "throttled"


def test_auth_rate_is_off_with_api_throttle_off(api_client, monkeypatch, settings):
    """API_THROTTLE=off lifts the auth rate."""
    settings.API_THROTTLE = False
    monkeypatch.setattr(AuthRate, "THROTTLE_RATES", {"auth": "2/min"})
    body = {"username": "nobody", "password": "wrong-password"}

    statuses = [api_client.post(f"{API}auth/token", body, format="json") for _ in range(3)]

    assert [r.status_code for r in statuses] == [400, 400, 400]


# --- POST / DELETE auth/token ----------------------------------------------------------------


def test_token_for_right_credentials(api_client, delivered, django_capture_on_commit_callbacks):
    """Right credentials answer the user's token and publish `user.signed_in`."""
    user = UserFactory(username="lin")

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            f"{API}auth/token", {"username": "lin", "password": DEFAULT_PASSWORD}, format="json"
        )

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}
    assert delivered == [("user.signed_in", {"user": user.pk, "visitor": None})]


def test_token_for_wrong_credentials(api_client):
    """Wrong password or unknown user: 400 invalid_credentials, the same for both."""
    UserFactory(username="lin")

    wrong = api_client.post(f"{API}auth/token", {"username": "lin", "password": "x"}, format="json")
    unknown = api_client.post(
        f"{API}auth/token", {"username": "nobody", "password": "x"}, format="json"
    )

    assert wrong.status_code == unknown.status_code == 400
    assert error_of(wrong) == error_of(unknown)
    assert error_of(wrong)["code"] == "invalid_credentials"


@pytest.mark.parametrize("throttle", [True, False], ids=["throttle-on", "throttle-off"])
def test_token_lockout_is_429_signin_locked(api_client, settings, throttle):
    """After the allowed failures, 429 signin_locked with Retry-After, throttles on or off."""
    settings.API_THROTTLE = throttle
    settings.SIGNIN_LOCKOUT_FAILURES = 3
    UserFactory(username="lin")
    for _ in range(3):
        api_client.post(f"{API}auth/token", {"username": "lin", "password": "x"}, format="json")

    response = api_client.post(
        f"{API}auth/token", {"username": "lin", "password": DEFAULT_PASSWORD}, format="json"
    )

    assert response.status_code == 429
    assert error_of(response)["code"] == "signin_locked"
    assert int(response["Retry-After"]) > 0


def test_delete_token_signs_the_client_out(me):
    """DELETE auth/token revokes the token: it no longer authenticates."""
    _, client = me

    assert client.delete(f"{API}auth/token").status_code == 204
    response = client.get(f"{API}me")

    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_delete_token_needs_auth(api_client):
    """Revoking without a token is a 401."""
    response = api_client.delete(f"{API}auth/token")

    assert response.status_code == 401
    error_of(response)


# --- GET / PATCH / DELETE me -------------------------------------------------------------------


def test_get_me(me):
    """GET me answers the contract's fields with counts."""
    user, client = me
    FollowFactory(follower=UserFactory(), followee=user)

    body = client.get(f"{API}me").json()

    assert body == {
        "id": user.pk,
        "username": "me",
        "email": user.email,
        "display_name": "Me Myself",
        "bio": "Fruit lover",
        "avatar": None,
        "followers_count": 1,
        "following_count": 0,
    }


def test_me_needs_auth(api_client):
    """Without credentials, 401 not_authenticated."""
    response = api_client.get(f"{API}me")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_patch_me(me):
    """PATCH me changes the given fields and answers the profile."""
    user, client = me

    response = client.patch(f"{API}me", {"bio": "Durian season!"}, format="json")

    assert response.status_code == 200
    assert response.json()["bio"] == "Durian season!"
    assert response.json()["display_name"] == "Me Myself"


@pytest.mark.parametrize(
    "body",
    [{"bio": "x" * 301}, {"display_name": "x" * 61}, {"bio": {"a": 1}}, {"display_name": None}],
    ids=["long-bio", "long-name", "object", "null"],
)
def test_patch_me_bad_input_changes_nothing(me, body):
    """Too long or wrong types: 400 in the error shape and the profile unchanged."""
    user, client = me

    response = client.patch(f"{API}me", body, format="json")

    assert response.status_code == 400
    error_of(response)
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Me Myself", "Fruit lover")


def test_patch_me_avatar_upload_and_removal(me):
    """A multipart avatar is stored and answered as an absolute URL; null removes it."""
    _, client = me
    upload = SimpleUploadedFile("me.png", picture().read(), content_type="image/png")

    with_picture = client.patch(f"{API}me", {"avatar": upload}, format="multipart")
    without = client.patch(f"{API}me", {"avatar": None}, format="json")

    assert with_picture.status_code == 200
    assert with_picture.json()["avatar"].startswith("http://testserver/media/avatars/")
    assert without.json()["avatar"] is None


def test_patch_me_avatar_that_is_not_a_picture(me):
    """A file that does not decode is a 400 invalid_image."""
    _, client = me
    upload = SimpleUploadedFile("me.png", b"GIF89a nope", content_type="image/png")

    response = client.patch(f"{API}me", {"avatar": upload}, format="multipart")

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_image"


def test_delete_me_with_the_password_anonymises(me):
    """DELETE me with the password deletes the account; its token stops working."""
    user, client = me

    response = client.delete(f"{API}me", {"password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.anonymised_at is not None
    assert client.get(f"{API}me").status_code == 401


@pytest.mark.parametrize("body", [{"password": "wrong"}, {}], ids=["wrong", "missing"])
def test_delete_me_needs_the_right_password(me, body):
    """Without the right password nothing is deleted."""
    user, client = me

    response = client.delete(f"{API}me", body, format="json")

    assert response.status_code == 400
    error_of(response)
    user.refresh_from_db()
    assert user.anonymised_at is None


# --- GET users/{username} ------------------------------------------------------------------------


def test_get_user_profile_with_relationship(me):
    """Another user's profile carries counts, is_following and is_friend."""
    user, client = me
    lin = UserFactory(username="lin", display_name="Lin")
    FollowFactory(follower=user, followee=lin)
    FollowFactory(follower=lin, followee=user)

    body = client.get(f"{API}users/lin").json()

    assert body["username"] == "lin"
    assert (body["followers_count"], body["following_count"]) == (1, 1)
    assert body["is_following"] is True
    assert body["is_friend"] is True
    assert "email" not in body


@pytest.mark.parametrize("direction", ["i block", "they block"])
def test_get_user_hidden_by_a_block_either_way(me, direction):
    """A block either way answers 404, as for someone who does not exist."""
    user, client = me
    lin = UserFactory(username="lin")
    blocker, blocked = (user, lin) if direction == "i block" else (lin, user)
    BlockFactory(blocker=blocker, blocked=blocked)

    response = client.get(f"{API}users/lin")

    assert response.status_code == 404
    assert error_of(response) == error_of(client.get(f"{API}users/nobody"))


def test_get_deleted_user_is_404(me, client_for):
    """An anonymised account is not found, under its old name or its new one."""
    _, client = me
    lin = UserFactory(username="lin")
    client_for(lin).delete(f"{API}me", {"password": DEFAULT_PASSWORD}, format="json")

    assert client.get(f"{API}users/lin").status_code == 404
    assert client.get(f"{API}users/deleted-{lin.pk}").status_code == 404


@pytest.mark.parametrize("name", ["x" * 5000, "a%00b", "%F0%9F%8D%91", "a%2Fb"])
def test_get_user_with_an_absurd_name_is_404(me, name):
    """Absurd usernames in the URL (huge, NUL, emoji, slash) are simply not found."""
    _, client = me

    for suffix in ("", "/follow", "/followers"):
        response = client.get(f"{API}users/{name}{suffix}")
        assert response.status_code in (404, 405)
        error_of(response)


# --- follow / block / mute -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edge", "model", "fields"),
    [
        ("follow", Follow, ("follower", "followee")),
        ("block", Block, ("blocker", "blocked")),
        ("mute", Mute, ("muter", "muted")),
    ],
)
def test_edges_are_204_and_idempotent(me, edge, model, fields):
    """POST twice makes one edge; DELETE twice removes it; every answer is 204."""
    user, client = me
    lin = UserFactory(username="lin")
    url = f"{API}users/lin/{edge}"
    mine = {fields[0]: user, fields[1]: lin}

    assert [client.post(url).status_code for _ in range(2)] == [204, 204]
    assert model.objects.filter(**mine).count() == 1
    assert [client.delete(f"{url}/").status_code for _ in range(2)] == [204, 204]
    assert not model.objects.filter(**mine).exists()


@pytest.mark.parametrize("edge", ["follow", "block", "mute"])
def test_edges_to_oneself_are_400(me, edge):
    """Following, blocking or muting oneself is a 400 self_target."""
    _, client = me

    response = client.post(f"{API}users/me/{edge}")

    assert response.status_code == 400
    assert error_of(response)["code"] == "self_target"


@pytest.mark.parametrize("edge", ["follow", "block", "mute"])
def test_edges_to_unknown_users_are_404(me, edge):
    """An unknown username is a 404 for POST and DELETE."""
    _, client = me

    assert client.post(f"{API}users/nobody/{edge}").status_code == 404
    assert client.delete(f"{API}users/nobody/{edge}").status_code == 404


def test_follow_someone_who_blocked_me_is_404(me):
    """Following across a block answers as if the user did not exist."""
    user, client = me
    BlockFactory(blocker=UserFactory(username="lin"), blocked=user)

    response = client.post(f"{API}users/lin/follow")

    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_block_by_api_removes_follows_both_ways(me):
    """After a block neither follows the other."""
    user, client = me
    lin = UserFactory(username="lin")
    FollowFactory(follower=user, followee=lin)
    FollowFactory(follower=lin, followee=user)

    client.post(f"{API}users/lin/block")

    assert not Follow.objects.exists()


def test_edges_need_auth(api_client):
    """Graph changes without credentials are 401."""
    UserFactory(username="lin")

    response = api_client.post(f"{API}users/lin/follow")

    assert response.status_code == 401
    error_of(response)


def test_edges_refuse_other_methods(me):
    """PUT on an edge is a 405 in the error shape."""
    UserFactory(username="lin")
    _, client = me

    response = client.put(f"{API}users/lin/follow")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


# --- close friends -------------------------------------------------------------------------------


def test_close_friends_list_add_remove(me):
    """POST adds to my close-friends list, GET lists it, DELETE removes; 204s idempotent."""
    user, client = me
    UserFactory(username="lin", display_name="Lin")

    assert client.post(f"{API}me/close-friends/lin").status_code == 204
    assert client.post(f"{API}me/close-friends/lin/").status_code == 204
    listed = client.get(f"{API}me/close-friends").json()
    assert client.delete(f"{API}me/close-friends/lin").status_code == 204
    assert client.delete(f"{API}me/close-friends/lin").status_code == 204

    assert [row["username"] for row in listed["results"]] == ["lin"]
    assert listed["next"] is None
    assert not CloseFriend.objects.exists()


def test_close_friend_self_and_unknown(me):
    """Myself is a 400 self_target; an unknown user a 404."""
    _, client = me

    assert client.post(f"{API}me/close-friends/me").status_code == 400
    assert client.post(f"{API}me/close-friends/nobody").status_code == 404


def test_blocks_and_mutes_lists(me):
    """me/blocks and me/mutes list whom I block and mute."""
    user, client = me
    BlockFactory(blocker=user, blocked=UserFactory(username="lin"))
    client.post(f"{API}users/{UserFactory(username='mei').username}/mute")

    assert [r["username"] for r in client.get(f"{API}me/blocks").json()["results"]] == ["lin"]
    assert [r["username"] for r in client.get(f"{API}me/mutes").json()["results"]] == ["mei"]


# --- followers / following ---------------------------------------------------------------------


def test_followers_are_paginated_with_next(me):
    """Followers come in pages of 20 with a next link, newest first."""
    user, client = me
    star = UserFactory(username="star")
    fans = [UserFactory() for _ in range(25)]
    for fan in fans:
        FollowFactory(follower=fan, followee=star)

    first = client.get(f"{API}users/star/followers").json()
    second = client.get(first["next"]).json()

    assert [row["id"] for row in first["results"]] == [fan.pk for fan in reversed(fans)][:20]
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert set(first["results"][0]) == {"id", "username", "display_name", "avatar", "is_following"}


def test_following_lists_whom_the_user_follows(me):
    """users/{username}/following lists the followees, with my follow state."""
    user, client = me
    lin, mei = UserFactory(username="lin"), UserFactory(username="mei")
    FollowFactory(follower=lin, followee=mei)
    FollowFactory(follower=user, followee=mei)

    rows = client.get(f"{API}users/lin/following").json()["results"]

    assert [(row["username"], row["is_following"]) for row in rows] == [("mei", True)]


@pytest.mark.parametrize("size", [3, 30])
def test_follower_pages_cost_a_bounded_number_of_queries(me, size, django_assert_max_num_queries):
    """A page of followers costs the same few queries however many followers there are."""
    user, client = me
    star = UserFactory(username="star")
    for _ in range(size):
        fan = UserFactory()
        FollowFactory(follower=fan, followee=star)
        FollowFactory(follower=user, followee=fan)

    with django_assert_max_num_queries(5):
        response = client.get(f"{API}users/star/followers")

    assert response.status_code == 200


def test_followers_of_someone_hidden_by_a_block_are_404(me):
    """A blocked user's lists are as hidden as their profile."""
    user, client = me
    BlockFactory(blocker=UserFactory(username="lin"), blocked=user)

    assert client.get(f"{API}users/lin/followers").status_code == 404
    assert client.get(f"{API}users/lin/following").status_code == 404


def test_followers_bad_page_is_404(me):
    """A page past the end, or not a number, is a 404 in the error shape."""
    _, client = me
    UserFactory(username="lin")

    for page in ("99", "abc"):
        response = client.get(f"{API}users/lin/followers?page={page}")
        assert response.status_code == 404
        error_of(response)
