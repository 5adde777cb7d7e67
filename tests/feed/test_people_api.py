"""`GET /api/v1/people/suggested` and the /people/suggested page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feed.api.people import PAGE_SIZE
from tests.factories import BlockFactory, FollowFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/people/suggested"


@pytest.fixture
def me():
    return UserFactory(username="me")


@pytest.fixture
def client_for(api_client):
    def _client(user):
        api_client.force_authenticate(user)
        return api_client

    return _client


def test_suggestions_answer_user_reason_and_mutual_count(me, client_for):
    """Each result carries the user, why they are suggested and how many I know follow them."""
    ana = UserFactory(display_name="Ana")
    FollowFactory(follower=me, followee=ana)
    target = UserFactory(username="target", display_name="Tia", bio="Tea and tarts")
    FollowFactory(follower=ana, followee=target)

    response = client_for(me).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    first = body["results"][0]
    assert first["user"] == {
        "id": target.pk,
        "username": "target",
        "display_name": "Tia",
        "bio": "Tea and tarts",
        "avatar": None,
        "followers_count": 1,
    }
    assert first["reason"] == "followed_by_people_you_know"
    assert first["reason_text"] == "Followed by Ana"
    assert first["mutual_count"] == 1


def test_suggestions_leave_out_blocked_people(me, client_for):
    """Nobody blocked either way appears."""
    blocked = UserFactory()
    BlockFactory(blocker=blocked, blocked=me)

    body = client_for(me).get(URL).json()

    assert blocked.pk not in [result["user"]["id"] for result in body["results"]]


def test_suggestions_are_paginated_with_a_next_link(me, client_for):
    """A full page links to the next; the next page continues without overlap."""
    for person in UserFactory.create_batch(PAGE_SIZE + 3):
        FollowFactory(followee=person)  # and each follower is someone to suggest too
    client = client_for(me)

    first = client.get(URL).json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == PAGE_SIZE
    assert first["next"].endswith(f"{URL}?page=2")
    first_ids = {result["user"]["id"] for result in first["results"]}
    second_ids = {result["user"]["id"] for result in second["results"]}
    assert len(second_ids) >= 3
    assert not first_ids & second_ids


@pytest.mark.parametrize("page", ["0", "abc", "99"])
def test_a_bad_page_is_a_400_in_the_error_shape(me, client_for, page):
    """A page number out of range or not a number is refused with the error shape."""
    response = client_for(me).get(URL, {"page": page})

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["page"]


def test_suggestions_need_a_signed_in_caller(api_client):
    """Anonymous callers get 401 in the error shape."""
    response = api_client.get(URL)

    assert response.status_code == 401
    assert "error" in response.json()


def test_suggestions_api_costs_a_fixed_number_of_queries(
    me, client_for, django_assert_max_num_queries
):
    """A full page of suggestions costs the same few queries as a short one."""
    ana = UserFactory()
    FollowFactory(follower=me, followee=ana)
    for person in UserFactory.create_batch(PAGE_SIZE + 5):
        FollowFactory(follower=ana, followee=person)
    client = client_for(me)

    # The ranking and the names of the people I know (force_authenticate needs no query).
    with django_assert_max_num_queries(2):
        body = client.get(URL).json()

    assert len(body["results"]) == PAGE_SIZE


# --- The page ---------------------------------------------------------------------------------


def test_suggestions_page_lists_people_with_follow_buttons_and_the_reason(client, me):
    """Each row links to the profile, says who I know follows them, and follows with htmx."""
    ana = UserFactory(display_name="Ana")
    FollowFactory(follower=me, followee=ana)
    target = UserFactory(username="tia", display_name="Tia")
    FollowFactory(follower=ana, followee=target)
    client.force_login(me)

    html = client.get(reverse("feed:suggestions")).content.decode()

    assert "People you may know" in html
    assert f'href="{reverse("accounts:profile", args=["tia"])}"' in html
    assert "Followed by Ana" in html
    assert f'hx-post="{reverse("accounts:follow", args=["tia"])}"' in html


def test_suggestions_page_with_nobody_to_suggest_says_so(client, me):
    """An empty list is a friendly empty state, not a blank card."""
    client.force_login(me)

    html = client.get(reverse("feed:suggestions")).content.decode()

    assert "Nobody to suggest right now" in html


def test_suggestions_page_asks_visitors_to_sign_in(client):
    """A visitor is sent to sign in first."""
    response = client.get(reverse("feed:suggestions"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:signin"))


def test_my_own_follow_lists_link_to_the_suggestions(client, me):
    """My following and followers pages lead to people I may know; someone else's do not."""
    other = UserFactory(username="other")
    client.force_login(me)

    mine = client.get(reverse("accounts:following", args=["me"])).content.decode()
    theirs = client.get(reverse("accounts:following", args=["other"])).content.decode()

    assert f'href="{reverse("feed:suggestions")}"' in mine
    assert f'href="{reverse("feed:suggestions")}"' not in theirs
    assert other.username in theirs
