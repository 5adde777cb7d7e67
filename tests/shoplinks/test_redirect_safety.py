"""`/s/<code>` never sends anyone off-site: 302 to our own product page, or the 404 page."""

import pytest
from django.urls import reverse

from tests.shoplinks.tap_support import new_link, tap

pytestmark = pytest.mark.django_db

EVIL_CODES = [
    "//evil.example",
    "/evil.example",
    "https:/\\evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "%252F%252Fevil.example",
    "%5C%5Cevil.example",
    "%5c/evil.example",
    "\\\\evil.example",
    "x%0D%0ALocation:%20https://evil.example",
    "x\r\nLocation: https://evil.example",
    "..%2F..%2Fevil.example",
    "%09//evil.example",
]
EVIL_QUERIES = [
    "next=//evil.example",
    "next=https://evil.example",
    "url=https:/\\evil.example",
    "redirect=javascript:alert(1)",
    "next=%2F%2Fevil.example",
    "to=%5C%5Cevil.example",
    "next=%0D%0ALocation:%20https://evil.example",
    "//evil.example",
]


def _assert_safe(response, product_id: int | None) -> None:
    location = response.headers.get("Location")
    if response.status_code == 404:
        assert location is None
        return
    assert response.status_code == 302
    assert location == reverse("commerce:product_detail", kwargs={"product_id": product_id})


@pytest.mark.parametrize("bad", EVIL_CODES)
def test_hostile_codes_are_not_found(client, bad):
    """A code shaped like a URL, a scheme, encoded slashes or backslashes, or CRLF: 404 page."""
    new_link()
    response = tap(client, bad)
    assert response.status_code == 404
    assert "Location" not in response.headers


@pytest.mark.parametrize("bad", EVIL_CODES)
def test_hostile_text_after_a_real_code_is_not_found(client, bad):
    """A real code followed by hostile text is not that code: 404, never a redirect."""
    link = new_link()
    response = tap(client, f"{link.code}{bad}")
    _assert_safe(response, link.product_id)
    assert response.status_code == 404


@pytest.mark.parametrize("query", EVIL_QUERIES)
def test_the_query_string_never_chooses_the_target(client, query):
    """Whatever the query string says, a real code goes to our product page."""
    link = new_link()
    response = tap(client, f"{link.code}?{query}")
    _assert_safe(response, link.product_id)
    assert response.status_code == 302


def test_a_well_formed_unknown_code_is_the_normal_404_page(client):
    """An unknown code gets the site's 404 page (HTML), twice (the miss is cached)."""
    for _ in range(2):
        response = tap(client, "abcdefghijk")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")


def test_an_inactive_product_still_goes_to_our_product_page(client):
    """A link to a product no longer sold still leads to our page for it, nowhere else."""
    link = new_link()
    link.product.active = False
    link.product.save(update_fields=["active"])
    response = tap(client, link.code)
    _assert_safe(response, link.product_id)
    assert response.status_code == 302


def test_the_answer_is_never_cached_by_browsers_or_proxies(client):
    """Each tap must reach the server: the 302 says no-store and varies on who asks."""
    response = tap(client, new_link().code)
    assert "no-store" in response["Cache-Control"]
    assert {"Accept", "Cookie", "Authorization"} <= {
        value.strip() for value in response["Vary"].split(",")
    }
