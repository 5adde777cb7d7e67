"""/notifications/ and /settings/notifications."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backend.realtime.consumers import user_group
from feed.models import Notification, NotificationOptOut
from feed.pages.notifications import ago
from posts import services as posts
from tests.factories import UserFactory
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db

PAGE = "/notifications/"
SETTINGS = "/settings/notifications"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def browser_of():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def test_the_page_lists_lines_and_marks_them_read(people, deliver, pushed, browser_of):
    """Opening the page shows the grouped lines highlighted as unread, then marks them read and
    tells the open tabs the count is 0."""
    post = PostFactory(author=people.ann)
    deliver(posts.post_like, user=people.bo, post=post)
    deliver(posts.post_like, user=people.cy, post=post)

    html = deliver(browser_of(people.ann).get, PAGE).content.decode()

    assert "Cy and Bo liked your post" in html
    assert html.count('class="notif is-unread"') == 1
    assert f'href="/p/{post.pk}/"' in html
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert pushed[-1] == (user_group(people.ann.pk), {"type": "unread", "count": 0})


def test_read_lines_are_not_highlighted(people, deliver, browser_of):
    """The second visit shows the same line without the unread highlight."""
    deliver(posts.post_like, user=people.bo, post=PostFactory(author=people.ann))
    client = browser_of(people.ann)
    client.get(PAGE)

    html = client.get(PAGE).content.decode()

    assert "Bo liked your post" in html
    assert "is-unread" not in html


def test_an_empty_list_says_so(people, browser_of):
    """Nobody has done anything yet: a friendly empty state."""
    html = browser_of(people.ann).get(PAGE).content.decode()

    assert "Nothing yet" in html


@pytest.mark.parametrize("lines", [1, 20])
def test_the_page_costs_the_same_queries_whatever_its_length(
    people, deliver, browser_of, django_assert_num_queries, lines
):
    """One line or twenty cost the same: session, user, the list's two queries, then marking
    read (a savepoint, the update, the new count, the release)."""
    for _ in range(lines):
        deliver(posts.post_like, user=people.bo, post=PostFactory(author=people.ann))
    client = browser_of(people.ann)

    with django_assert_num_queries(8):
        response = client.get(PAGE)

    assert response.content.decode().count("data-kind=") == lines


def test_later_pages_come_by_htmx(people, deliver, browser_of):
    """Past the first page, a sentinel loads the next lines as a fragment."""
    for _ in range(25):
        deliver(posts.post_like, user=people.bo, post=PostFactory(author=people.ann))
    client = browser_of(people.ann)
    first = client.get(PAGE).content.decode()
    cursor = first.split("?cursor=")[1].split('"')[0]

    fragment = client.get(f"{PAGE}?cursor={cursor}", **HTMX).content.decode()

    assert "<html" not in fragment
    assert fragment.count("data-kind=") == 5


def test_a_bad_cursor_goes_back_to_the_first_page(people, browser_of):
    """A cursor we did not make is no error page: the list starts again."""
    response = browser_of(people.ann).get(f"{PAGE}?cursor=zzz")

    assert response.status_code == 302
    assert response["Location"] == PAGE


def test_mark_all_read(people, deliver, browser_of):
    """The button marks everything read: 204 for htmx, a redirect without JavaScript."""
    deliver(posts.post_like, user=people.bo, post=PostFactory(author=people.ann))
    client = browser_of(people.ann)

    assert client.post(PAGE, **HTMX).status_code == 204
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert client.post(PAGE).status_code == 302


def test_pages_need_a_signed_in_user(db):
    """Visitors are sent to sign in."""
    for url in (PAGE, SETTINGS):
        response = Client().get(url)
        assert response.status_code == 302
        assert "signin" in response["Location"]


def test_the_bell_links_to_the_page(people, browser_of):
    """Every page's bell leads to the notifications."""
    html = browser_of(people.ann).get(SETTINGS).content.decode()

    assert f'class="icon-btn notif" href="{PAGE}"' in html


def test_settings_show_a_switch_per_kind(people, browser_of):
    """Each kind has a switch, on unless turned off."""
    NotificationOptOut.objects.create(user=people.ann, kind="like")

    html = browser_of(people.ann).get(SETTINGS).content.decode()

    assert html.count('role="switch"') == 9
    assert 'id="kind-like" name="enabled" data-label' in html
    assert 'id="kind-follow" name="enabled" checked' in html


def test_a_switch_saves_at_once(people, browser_of):
    """Flipping a switch (htmx) saves it and answers the row as it now is."""
    response = browser_of(people.ann).post(SETTINGS, {"kind": "like"}, **HTMX)

    assert response.status_code == 200
    assert 'id="kind-like" name="enabled" data-label' in response.content.decode()
    assert NotificationOptOut.objects.filter(user=people.ann, kind="like").exists()

    browser_of(people.ann).post(SETTINGS, {"kind": "like", "enabled": "on"}, **HTMX)
    assert not NotificationOptOut.objects.exists()


def test_an_unknown_kind_is_refused_with_a_message(people, browser_of):
    """A made-up kind changes nothing: the error shape for htmx, a message otherwise."""
    client = browser_of(people.ann)

    response = client.post(SETTINGS, {"kind": "gossip"}, **HTMX)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_kind"

    response = client.post(SETTINGS, {"kind": "gossip"}, follow=True)
    assert "Unknown kind" in response.content.decode()
    assert not NotificationOptOut.objects.exists()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(5, "just now"), (300, "5 min"), (7200, "2 h"), (3 * 86400, "3 d")],
)
def test_time_ago_is_short(seconds, text):
    """Lines say how long ago in a few characters."""
    now = timezone.now()
    assert ago(now - datetime.timedelta(seconds=seconds), now) == text


def test_the_profile_settings_link_to_the_notification_settings(client):
    user = UserFactory()
    client.force_login(user)

    page = client.get(reverse("accounts:profile_edit")).content.decode()

    assert f'href="{reverse("feed:notification_settings")}"' in page
