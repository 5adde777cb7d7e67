"""Steps shared by the links, redirect and click tests: a product for sale, a link to it made by
the real service, a tap on /s/<code>, and the flush that writes the buffered taps."""

from __future__ import annotations

from django.test import Client, TestCase
from rest_framework.authtoken.models import Token

from shoplinks.clicks import buffer
from shoplinks.models import Click, ShareLink
from shoplinks.services import link_get_or_create
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory

# A person's phone browser navigating to a page: a tap that counts.
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
NAVIGATION = {"HTTP_USER_AGENT": PHONE, "HTTP_SEC_FETCH_DEST": "document"}


def product_for_sale():
    return SKUFactory().product


def new_link(sharer=None, product=None, post=None) -> ShareLink:
    link, _ = link_get_or_create(
        sharer=sharer or UserFactory(),
        product_id=(product or product_for_sale()).pk,
        post_id=post.pk if post else None,
    )
    return link


def tap(client: Client, code: str, *, ip: str = "203.0.113.7", **headers):
    """GET /s/<code> as a phone browser would (headers override), from `ip`."""
    return client.get(f"/s/{code}", **{**NAVIGATION, "REMOTE_ADDR": ip, **headers})


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def flushed_clicks() -> list[Click]:
    """Flush the buffer (its batches leave it as the test's transaction would commit) and
    return every stored click, oldest first."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        buffer.flush()
    return list(Click.objects.order_by("clicked_at", "id"))
