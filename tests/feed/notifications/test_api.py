"""GET notifications, POST notifications/read, GET/PUT notifications/settings."""

from __future__ import annotations

import pytest

from feed.models import Kind, Notification, NotificationOptOut
from posts import services as posts
from tests.factories import UserFactory
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications"
READ = "/api/v1/notifications/read"
SETTINGS = "/api/v1/notifications/settings"


def like_posts(deliver, author, likers, posts_count: int) -> None:
    for _ in range(posts_count):
        post = PostFactory(author=author)
        for liker in likers:
            deliver(posts.post_like, user=liker, post=post)


def test_the_list_answers_grouped_items(people, deliver, client_of):
    """One item per group, in the documented shape."""
    post = PostFactory(author=people.ann)
    deliver(posts.post_like, user=people.bo, post=post)
    deliver(posts.post_like, user=people.cy, post=post)

    body = client_of(people.ann).get(LIST).json()

    assert body["next"] is None
    (item,) = body["results"]
    assert set(item) == {
        "id",
        "kind",
        "actor",
        "actors",
        "count",
        "target",
        "text",
        "created_at",
        "read",
    }
    assert item["actor"] == {
        "id": people.cy.pk,
        "username": "cy",
        "display_name": "Cy",
        "avatar": None,
    }
    assert [actor["username"] for actor in item["actors"]] == ["cy", "bo"]
    assert (item["kind"], item["count"], item["text"], item["read"]) == (
        "like",
        2,
        "Cy and Bo liked your post",
        False,
    )
    assert item["target"] == {"type": "post", "id": post.pk, "url": f"/p/{post.pk}/"}


def test_the_list_pages_by_cursor_newest_group_first(people, deliver, client_of):
    """Pages follow `next` and return every group once, newest first."""
    like_posts(deliver, people.ann, [people.bo], 5)
    client = client_of(people.ann)

    seen, url = [], f"{LIST}?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [item["target"]["id"] for item in body["results"]]
        url = body["next"]

    assert len(seen) == 5
    assert seen == sorted(seen, reverse=True)


@pytest.mark.parametrize("groups", [3, 30])
def test_a_page_costs_the_same_queries_whatever_its_length(
    people, deliver, client_of, django_assert_max_num_queries, groups
):
    """Groups, their rows with actors, and the session's own queries: no query per item."""
    like_posts(deliver, people.ann, [people.bo, people.cy, people.dee], groups)
    client = client_of(people.ann)

    with django_assert_max_num_queries(2):
        body = client.get(f"{LIST}?page_size=50").json()

    assert len(body["results"]) == groups


@pytest.mark.parametrize(
    "query", ["cursor=nonsense", "cursor=g-1", "cursor=g99999999999999999999", "page_size=0"]
)
def test_a_bad_query_is_refused_with_the_error_shape(people, client_of, query):
    """A cursor we did not give out, or a page size out of range, is a 400 in the error shape."""
    response = client_of(people.ann).get(f"{LIST}?{query}")

    assert response.status_code == 400
    assert set(response.json()["error"]) >= {"code", "message"}


def test_anonymous_callers_are_refused(db, api_client):
    """Notifications are only ever the signed-in user's."""
    assert api_client.get(LIST).status_code == 401
    assert api_client.post(READ).status_code == 401
    assert api_client.get(SETTINGS).status_code == 401


def test_the_list_shows_only_ones_own(people, deliver, client_of):
    """Someone else's notifications never show."""
    like_posts(deliver, people.ann, [people.bo], 1)

    assert client_of(people.bo).get(LIST).json()["results"] == []


def test_read_marks_all_and_answers_the_count(people, deliver, client_of):
    """POST notifications/read with no body marks everything read."""
    like_posts(deliver, people.ann, [people.bo], 2)

    response = client_of(people.ann).post(READ, {}, format="json")

    assert response.status_code == 200
    assert response.json() == {"unread": 0}
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_read_marks_the_groups_given(people, deliver, client_of):
    """With ids, only those groups are marked read."""
    like_posts(deliver, people.ann, [people.bo, people.cy], 2)
    client = client_of(people.ann)
    first = client.get(LIST).json()["results"][0]

    response = client.post(READ, {"ids": [first["id"]]}, format="json")

    assert response.json() == {"unread": 2}
    items = client.get(LIST).json()["results"]
    assert [item["read"] for item in items] == [True, False]


@pytest.mark.parametrize("body", [{"ids": "all"}, {"ids": [0]}, {"ids": ["x"]}, {"ids": [1.5]}])
def test_bad_ids_are_refused_and_change_nothing(people, deliver, client_of, body):
    """Ids that are not positive integers are a 400 in the error shape; nothing is read."""
    like_posts(deliver, people.ann, [people.bo], 1)

    response = client_of(people.ann).post(READ, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_settings_list_every_kind_enabled_by_default(people, client_of):
    """Every kind, labelled, on."""
    body = client_of(people.ann).get(SETTINGS).json()

    assert [row["kind"] for row in body["kinds"]] == list(Kind.values)
    assert all(row["enabled"] for row in body["kinds"])
    assert body["kinds"][0]["label"] == Kind.FOLLOW.label


def test_settings_turn_one_kind_off(people, client_of):
    """PUT {kind, enabled: false} turns that kind off and answers the new settings."""
    response = client_of(people.ann).put(
        SETTINGS, {"kind": "like", "enabled": False}, format="json"
    )

    assert response.status_code == 200
    off = [row["kind"] for row in response.json()["kinds"] if not row["enabled"]]
    assert off == ["like"]


def test_settings_take_a_list(people, client_of):
    """PUT {kinds: [...]} sets several at once."""
    NotificationOptOut.objects.create(user=people.ann, kind="follow")
    body = {"kinds": [{"kind": "follow", "enabled": True}, {"kind": "mention", "enabled": False}]}

    response = client_of(people.ann).put(SETTINGS, body, format="json")

    off = [row["kind"] for row in response.json()["kinds"] if not row["enabled"]]
    assert off == ["mention"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"kind": "gossip", "enabled": False}, "unknown_kind"),
        (
            {"kinds": [{"kind": "like", "enabled": False}, {"kind": "x", "enabled": False}]},
            "unknown_kind",
        ),
        ({"kind": "like"}, "invalid"),
        ({"kind": "like", "enabled": "maybe"}, "invalid"),
        ({}, "invalid"),
        ({"kind": "like", "enabled": False, "kinds": []}, "invalid"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(people, client_of, body, code):
    """An unknown kind or a malformed body is a 400 in the error shape; nothing changes."""
    response = client_of(people.ann).put(SETTINGS, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert not NotificationOptOut.objects.exists()


def test_settings_are_ones_own(people, client_of):
    """Turning a kind off affects only the caller."""
    other = UserFactory()

    client_of(people.ann).put(SETTINGS, {"kind": "like", "enabled": False}, format="json")

    assert all(row["enabled"] for row in client_of(other).get(SETTINGS).json()["kinds"])
