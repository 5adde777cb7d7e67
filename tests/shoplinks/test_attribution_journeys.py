"""Attribution end to end: real taps on /s/<code>, real sign-up and sign-in (API and page), a
real checkout paid through the sandbox webhook, and the decision that follows."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client, TestCase
from django.utils import timezone
from rest_framework.test import APIClient

from backend.accounts.services import user_token
from shoplinks.clicks import buffer
from shoplinks.models import Click, Decision, Reason
from tests.commerce.buying import buy
from tests.commerce.payment_support import payment_event, post_webhook
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.factories_commerce import SKUFactory
from tests.shoplinks.attribution_support import (
    PHONE,
    buy_and_pay,
    decided_payloads,
    final_decision,
    make_link,
)

pytestmark = pytest.mark.django_db

NEW_USER = {"username": "newfriend", "email": "newfriend@example.com", "password": DEFAULT_PASSWORD}


@pytest.fixture
def sku():
    return SKUFactory(price=3000, on_hand=20)


@pytest.fixture
def link(sku):
    return make_link(UserFactory(), sku.product)


def tap(client, link, **headers):
    response = client.get(f"/s/{link.code}", headers={"User-Agent": PHONE, **headers})
    assert response.status_code in (200, 302)
    return response


def delivered(action):
    """Run `action`, then deliver the events it published (as after its commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return action()


def sign_up_by_api(browser: Client):
    """POST auth/register from an app that keeps the browser's visitor cookie."""
    app = APIClient()
    app.cookies[settings.VISITOR_COOKIE_NAME] = browser.cookies[settings.VISITOR_COOKIE_NAME].value
    response = delivered(lambda: app.post("/api/v1/auth/register", NEW_USER, format="json"))
    assert response.status_code == 201
    return UserFactory._meta.model.objects.get(pk=response.json()["id"])


def test_anonymous_tap_then_api_sign_up_then_buy_is_credited(sku, link):
    """A friend taps the link before having an account, signs up by API with the visitor
    cookie, buys: the line is credited to the link and the event says so."""
    browser = Client()
    tap(browser, link)
    user = sign_up_by_api(browser)

    (order,) = buy_and_pay(browser, user, (sku, 1))

    decision = final_decision(order)
    assert (decision.reason, decision.link, decision.click.user) == (Reason.CREDITED, link, user)
    assert [(event["reason"], event["link"]) for event in decided_payloads()] == [
        ("credited", link.pk)
    ]


def test_anonymous_tap_then_sign_up_page_then_buy_is_credited(sku, link):
    """The same journey through the sign-up page: the browser posts the form with its cookie."""
    browser = Client()
    tap(browser, link)
    response = delivered(lambda: browser.post("/signup", NEW_USER))
    assert response.status_code == 302
    user = UserFactory._meta.model.objects.get(username="newfriend")

    (order,) = buy_and_pay(browser, user, (sku, 1))

    assert (final_decision(order).reason, final_decision(order).link) == (Reason.CREDITED, link)


def test_anonymous_tap_then_sign_in_page_then_buy_is_credited(sku, link):
    """An existing user who tapped while signed out and then signs in on the page is credited."""
    user = UserFactory()
    browser = Client()
    tap(browser, link)
    form = {"username": user.username, "password": DEFAULT_PASSWORD}
    assert delivered(lambda: browser.post("/signin", form)).status_code == 302

    (order,) = buy_and_pay(browser, user, (sku, 1))

    assert final_decision(order).reason == Reason.CREDITED


def test_signed_in_tap_by_token_then_buy_is_credited(sku, link):
    """An app taps with `Authorization: Token`: the click is the user's, the line credited."""
    user = UserFactory()
    app = APIClient()
    tap(app, link, Authorization=f"Token {user_token(user=user)}", Accept="application/json")

    (order,) = buy_and_pay(Client(), user, (sku, 1))

    decision = final_decision(order)
    assert (decision.reason, decision.click.user, decision.click.agent_class) == (
        Reason.CREDITED,
        user,
        "app",
    )


def test_last_tap_wins_across_two_sharers(sku, link):
    """Taps on two sharers' links: the later one is credited, the earlier one's row is
    later_click_by_other_sharer."""
    other = make_link(UserFactory(), sku.product)
    user = UserFactory()
    browser = Client()
    browser.force_login(user)
    tap(browser, link)
    tap(browser, other)

    (order,) = buy_and_pay(browser, user, (sku, 1))

    rows = Decision.objects.filter(order=order).order_by("-final")
    assert [(row.link, row.reason) for row in rows] == [
        (other, Reason.CREDITED),
        (link, Reason.LATER_CLICK_BY_OTHER_SHARER),
    ]


def test_tap_older_than_the_window_is_window_expired(sku, link):
    """A tap eight days before the order (the stored click aged by the test): window_expired."""
    user = UserFactory()
    browser = Client()
    browser.force_login(user)
    tap(browser, link)
    buffer.flush()
    Click.objects.update(clicked_at=timezone.now() - timedelta(days=8))

    (order,) = buy_and_pay(browser, user, (sku, 1))

    assert final_decision(order).reason == Reason.WINDOW_EXPIRED


def test_sharer_buying_through_own_link_is_self_purchase(sku, link):
    """The sharer taps their own link and buys: self_purchase."""
    browser = Client()
    browser.force_login(link.sharer)
    tap(browser, link)

    (order,) = buy_and_pay(browser, link.sharer, (sku, 1))

    assert final_decision(order).reason == Reason.SELF_PURCHASE


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("get", {"User-Agent": "Mozilla/5.0 (compatible; Twitterbot/1.0)"}),
        ("get", {"User-Agent": "WhatsApp/2.23.20.0"}),
        ("head", {}),
        ("get", {"Sec-Purpose": "prefetch"}),
        ("get", {"Purpose": "prefetch"}),
        ("get", {"Sec-Fetch-Dest": "image"}),
    ],
    ids=["twitterbot", "whatsapp-preview", "head", "sec-purpose", "purpose", "fetch-dest-image"],
)
def test_bot_head_and_prefetch_taps_only_are_flagged_click(sku, link, method, headers):
    """Only taps that were not a person (bot UA, HEAD, prefetch, non-document fetch): the line
    is flagged_click, no credit."""
    user = UserFactory()
    browser = Client()
    browser.force_login(user)
    getattr(browser, method)(f"/s/{link.code}", headers={"User-Agent": PHONE, **headers})

    (order,) = buy_and_pay(browser, user, (sku, 1))

    assert final_decision(order).reason == Reason.FLAGGED_CLICK
    assert decided_payloads()[0]["sharer"] is None


def test_rate_limited_taps_only_are_flagged_click(sku, link, settings):
    """Taps over the per-IP limit are kept but never counted."""
    settings.SHARE_CLICKS_PER_IP_PER_MINUTE = 0
    user = UserFactory()
    browser = Client()
    browser.force_login(user)
    tap(browser, link)

    (order,) = buy_and_pay(browser, user, (sku, 1))

    assert final_decision(order).reason == Reason.FLAGGED_CLICK


def test_a_duplicate_tap_never_wins(sku, link):
    """Tapping the same link again within 30 minutes: the repeat is stored as a duplicate and
    the credit goes to the first, counted tap."""
    user = UserFactory()
    browser = Client()
    browser.force_login(user)
    tap(browser, link)
    tap(browser, link)

    (order,) = buy_and_pay(browser, user, (sku, 1))

    first, repeat = Click.objects.order_by("clicked_at", "pk")
    assert (first.counted, repeat.is_duplicate, repeat.counted) == (True, True, False)
    assert final_decision(order).click == first


def test_buyer_who_never_tapped_is_no_click(sku, link):
    """Someone else tapped; this buyer never did: no_click."""
    someone = Client()
    tap(someone, link)
    user = UserFactory()

    (order,) = buy_and_pay(Client(), user, (sku, 1))

    assert final_decision(order).reason == Reason.NO_CLICK


def test_tap_still_in_the_buffer_when_the_order_is_paid_is_seen(sku, link):
    """A tap whose click is still buffered (no flush since) when the payment lands is flushed
    by attribution first and credited."""
    user = UserFactory()
    browser = Client()
    browser.force_login(user)
    tap(browser, link)
    assert not Click.objects.exists()
    assert buffer.get_buffer().pending_count() == 1

    (order,) = buy_and_pay(browser, user, (sku, 1))

    assert final_decision(order).reason == Reason.CREDITED


def test_tap_after_the_order_was_placed_does_not_count(sku, link):
    """A tap between placing the order and paying it did not bring the order: no_click."""
    user = UserFactory()
    browser = Client()
    browser.force_login(user)
    result = buy(user, (sku, 1))
    tap(browser, link)

    with TestCase.captureOnCommitCallbacks(execute=True):
        post_webhook(browser, payment_event("payment.succeeded", result.payment))

    assert final_decision(result.orders[0]).reason == Reason.NO_CLICK


@pytest.mark.services("postgres")
def test_journey_on_postgresql(sku, link):
    """Anonymous tap → API sign-up → buy → credited, on PostgreSQL."""
    browser = Client()
    tap(browser, link)
    user = sign_up_by_api(browser)

    (order,) = buy_and_pay(browser, user, (sku, 1))

    assert final_decision(order).reason == Reason.CREDITED


@pytest.mark.services("redis")
def test_journey_with_the_redis_buffer(sku, link):
    """Anonymous tap → API sign-up → buy → credited, the taps buffered in Redis."""
    assert isinstance(buffer.get_buffer(), buffer.RedisBuffer)
    browser = Client()
    tap(browser, link)
    assert buffer.get_buffer().pending_count() == 1
    user = sign_up_by_api(browser)

    (order,) = buy_and_pay(browser, user, (sku, 1))

    assert final_decision(order).reason == Reason.CREDITED
