"""on_user_signed_in: a visitor's unowned clicks become the user's, only for a visitor id that
carries our signature."""

import pytest
from django.conf import settings
from django.test import TestCase

from backend.events.models import Event
from shoplinks.attribution import on_user_signed_in
from shoplinks.clicks.visitor import new_visitor_id, sign
from shoplinks.models import Click
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.factories_commerce import ProductFactory
from tests.shoplinks.attribution_support import PHONE, make_link, stored_click

pytestmark = pytest.mark.django_db


@pytest.fixture
def link():
    return make_link(UserFactory(), ProductFactory())


def signed_in(user, visitor: str | None) -> Event:
    return Event(name="user.signed_in", payload={"user": user.pk, "visitor": visitor})


def test_visitors_unowned_clicks_become_the_users(link, django_assert_max_num_queries):
    """Every unowned click of the signed visitor id moves to the user, in one UPDATE (plus the
    buffer's flush)."""
    visitor, user = new_visitor_id(), UserFactory()
    mine = [stored_click(link, visitor_id=visitor) for _ in range(3)]
    someone_elses = stored_click(link, visitor_id=new_visitor_id())

    with django_assert_max_num_queries(2):
        on_user_signed_in(signed_in(user, sign(visitor)))

    assert {click.pk for click in Click.objects.filter(user=user)} == {c.pk for c in mine}
    someone_elses.refresh_from_db()
    assert someone_elses.user is None


def test_clicks_already_owned_stay_with_their_user(link):
    """A click of the visitor id that already belongs to a user (an earlier sign-in on the same
    browser) is not moved to the next user who signs in there."""
    visitor, first, second = new_visitor_id(), UserFactory(), UserFactory()
    owned = stored_click(link, visitor_id=visitor, user=first)

    on_user_signed_in(signed_in(second, sign(visitor)))

    owned.refresh_from_db()
    assert owned.user == first


@pytest.mark.parametrize(
    "cookie",
    [
        None,
        "",
        "plainvisitoridwithoutsig",
        "forged_" + "A" * 22,
    ],
)
def test_an_unsigned_or_forged_visitor_id_merges_nothing(link, cookie):
    """Without a valid signature nothing moves: nobody can claim another visitor's clicks by
    sending their id."""
    stored_click(link, visitor_id="plainvisitoridwithoutsig")
    stored_click(link, visitor_id="forged")

    on_user_signed_in(signed_in(UserFactory(), cookie))

    assert not Click.objects.filter(user__isnull=False).exists()


def test_signature_of_another_id_does_not_verify(link):
    """A real signature pasted onto a different id is refused."""
    victim, attacker = new_visitor_id(), new_visitor_id()
    stored_click(link, visitor_id=victim)
    forged = victim + "_" + sign(attacker).split("_", 1)[1]

    on_user_signed_in(signed_in(UserFactory(), forged))

    assert not Click.objects.filter(user__isnull=False).exists()


def test_a_tap_still_in_the_buffer_follows_the_visitor(client, api_client, link):
    """A tap on /s/ whose click is still buffered when the visitor signs up by API (the visitor
    cookie sent along) becomes the new user's: the merge flushes the buffer first."""
    client.get(f"/s/{link.code}", headers={"User-Agent": PHONE})
    cookie = client.cookies[settings.VISITOR_COOKIE_NAME].value
    assert not Click.objects.exists()
    api_client.cookies[settings.VISITOR_COOKIE_NAME] = cookie

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = api_client.post(
            "/api/v1/auth/register",
            {"username": "newfriend", "email": "nf@example.com", "password": DEFAULT_PASSWORD},
            format="json",
        )

    assert response.status_code == 201
    click = Click.objects.get()
    assert (click.user.username, click.visitor_id) == ("newfriend", cookie.split("_")[0])
