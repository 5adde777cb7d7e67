"""Who tapped: the session user, else an API token, else the signed visitor cookie (set once,
for a year); the JSON answer; and no SQL for an anonymous tap on a cached link."""

import pytest
from django.conf import settings
from django.urls import reverse

from shoplinks.clicks.visitor import sign, visitor_id_from_cookie
from shoplinks.models import AgentClass
from tests.factories import UserFactory
from tests.shoplinks.tap_support import flushed_clicks, new_link, tap, token_for

pytestmark = pytest.mark.django_db
COOKIE = settings.VISITOR_COOKIE_NAME


def test_a_tap_redirects_to_the_product_page_and_is_recorded_once_flushed(client):
    """302 to the product; the click appears in the database only when the buffer is flushed."""
    link = new_link()
    response = tap(client, link.code)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "commerce:product_detail", kwargs={"product_id": link.product_id}
    )
    assert not link.clicks.exists()
    [click] = flushed_clicks()
    assert (click.link_id, click.product_id, click.sharer_id) == (
        link.pk,
        link.product_id,
        link.sharer_id,
    )
    assert click.counted
    assert click.agent_class == AgentClass.MOBILE


def test_an_anonymous_visitor_gets_a_signed_cookie_for_a_year_once(client):
    """The first tap sets an HttpOnly, SameSite=Lax cookie for a year; the next sends it back,
    is not given another, and is recorded under the same visitor id."""
    link, other = new_link(), new_link()
    first = tap(client, link.code)
    cookie = first.cookies[COOKIE]
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    visitor_id = visitor_id_from_cookie(cookie.value)
    assert visitor_id is not None
    second = tap(client, other.code)
    assert COOKIE not in second.cookies
    clicks = flushed_clicks()
    assert [click.visitor_id for click in clicks] == [visitor_id, visitor_id]
    assert all(click.user_id is None for click in clicks)


def test_the_visitor_cookie_fits_what_accounts_passes_on_at_sign_in(client):
    """The cookie value matches accounts' VISITOR_ID_PATTERN, so user.signed_in carries it."""
    from backend.accounts.services import visitor_id_from_cookie as accounts_reads

    value = tap(client, new_link().code).cookies[COOKIE].value
    assert accounts_reads(value) == value


@pytest.mark.parametrize(
    "tampered",
    [
        "someone-elses-id",
        "a" * 32 + "_" + "b" * 22,
        "bad value with spaces",
        "",
    ],
)
def test_a_tampered_or_foreign_cookie_is_replaced(client, tampered):
    """A cookie whose signature does not verify is ignored: a fresh visitor id is set and used."""
    client.cookies[COOKIE] = tampered
    response = tap(client, new_link().code)
    fresh = visitor_id_from_cookie(response.cookies[COOKIE].value)
    assert fresh is not None
    [click] = flushed_clicks()
    assert click.visitor_id == fresh


def test_a_signature_made_for_one_id_does_not_fit_another():
    """Swapping the id of a valid cookie breaks its signature."""
    _id, _, signature = sign("a" * 32).partition("_")
    assert visitor_id_from_cookie(f"{'b' * 32}_{signature}") is None
    assert visitor_id_from_cookie(sign("a" * 32)) == "a" * 32


def test_a_signed_in_user_is_recorded_by_session(client):
    """With a session, the click is the user's."""
    user = UserFactory()
    client.force_login(user)
    tap(client, new_link().code)
    [click] = flushed_clicks()
    assert click.user_id == user.pk


def test_an_app_is_identified_by_its_token_and_gets_no_cookie(client):
    """`Authorization: Token <key>`: the click is the token's user, of the app class."""
    user = UserFactory()
    response = tap(client, new_link().code, HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    assert response.status_code == 302
    assert COOKIE not in response.cookies
    [click] = flushed_clicks()
    assert (click.user_id, click.agent_class) == (user.pk, AgentClass.APP)


def test_a_wrong_token_falls_back_to_the_visitor(client):
    """An unknown token identifies nobody: the tap is the visitor's."""
    response = tap(client, new_link().code, HTTP_AUTHORIZATION="Token not-a-real-token")
    [click] = flushed_clicks()
    assert click.user_id is None
    assert click.visitor_id == visitor_id_from_cookie(response.cookies[COOKIE].value)


def test_json_answer_names_product_post_and_sharer_and_records_the_tap(client):
    """`Accept: application/json` gets {product_id, post_id, sharer}, and the tap counts."""
    sharer = UserFactory(username="mango-lover")
    link = new_link(sharer=sharer)
    response = tap(client, link.code, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "product_id": link.product_id,
        "post_id": None,
        "sharer": "mango-lover",
    }
    [click] = flushed_clicks()
    assert click.counted


def test_a_browser_accept_header_gets_the_redirect(client):
    """A browser's Accept (HTML first, */* last) is a redirect, not JSON."""
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert tap(client, new_link().code, HTTP_ACCEPT=accept).status_code == 302


def test_an_unknown_code_as_json_is_still_a_404(client):
    """No link, no JSON: 404."""
    assert tap(client, "abcdefghijk", HTTP_ACCEPT="application/json").status_code == 404


def test_an_anonymous_tap_on_a_cached_link_makes_no_sql_query(client, django_assert_num_queries):
    """Once the link is cached, an anonymous tap (new visitor or returning) costs 0 queries."""
    link = new_link()
    tap(client, link.code)
    with django_assert_num_queries(0):
        returning = tap(client, link.code)
    client.cookies.clear()
    with django_assert_num_queries(0):
        newcomer = tap(client, link.code, ip="198.51.100.9")
    assert returning.status_code == newcomer.status_code == 302
    assert len(flushed_clicks()) == 3


def test_a_cached_unknown_code_makes_no_sql_query(client, django_assert_num_queries):
    """A miss is cached too: a second tap on an unknown code does not reach the database."""
    tap(client, "abcdefghijk")
    with django_assert_num_queries(0):
        assert tap(client, "abcdefghijk").status_code == 404


def test_a_malformed_code_never_reaches_the_database(client, django_assert_num_queries):
    """A code outside the alphabet or the length is refused before any lookup."""
    with django_assert_num_queries(0):
        assert tap(client, "0OlI0OlI0Ol").status_code == 404
        assert tap(client, "short").status_code == 404


def test_a_broken_click_log_still_lets_the_visitor_through(client, monkeypatch):
    """If the buffer cannot take the tap (Redis down), the visitor still gets the product."""
    from shoplinks.clicks import buffer

    def broken(record):
        raise ConnectionError("buffer unreachable")

    monkeypatch.setattr(buffer, "push", broken)
    link = new_link()
    response = tap(client, link.code)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "commerce:product_detail", kwargs={"product_id": link.product_id}
    )


def test_a_link_made_after_its_code_was_tried_works_at_once(client, monkeypatch):
    """A cached miss for a code does not outlive the link then made with that code."""
    from shoplinks import codes

    assert tap(client, "abcdefghijk").status_code == 404
    monkeypatch.setattr(codes, "new_code", lambda: "abcdefghijk")
    link = new_link()
    assert link.code == "abcdefghijk"
    assert tap(client, "abcdefghijk").status_code == 302
