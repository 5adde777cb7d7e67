""" "Friends who bought this" (feed:product_buyers, feed.discover.buyers) and its opt-out
(GET/PUT me/privacy, /settings/privacy): friends only, paid orders only, never the opted out,
never the blocked, in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feed.discover.buyers import friends_who_bought
from feed.discover.privacy import set_shows_purchases
from tests.commerce.buying import buy
from tests.commerce.lifecycle_support import paid_order
from tests.factories import BlockFactory, FollowFactory, UserFactory
from tests.factories_commerce import SKUFactory

pytestmark = pytest.mark.django_db


def _friend(me, **kw):
    friend = UserFactory(**kw)
    FollowFactory(follower=me, followee=friend)
    FollowFactory(follower=friend, followee=me)
    return friend


@pytest.fixture
def sku():
    return SKUFactory(on_hand=100)


@pytest.fixture
def me():
    return UserFactory(username="me")


def test_only_friends_with_a_paid_order_count(me, sku):
    ana = _friend(me, username="ana")
    bo = _friend(me, username="bo")
    paid_order((sku, 1), buyer=ana)
    paid_order((sku, 2), buyer=bo)
    paid_order((sku, 1), buyer=bo)  # twice: still one friend
    unpaid = _friend(me, username="cy")
    buy(unpaid, (sku, 1))
    followee_only = UserFactory(username="dee")
    FollowFactory(follower=me, followee=followee_only)
    paid_order((sku, 1), buyer=followee_only)
    follower_only = UserFactory(username="eve")
    FollowFactory(follower=follower_only, followee=me)
    paid_order((sku, 1), buyer=follower_only)
    paid_order((sku, 1), buyer=UserFactory(username="stranger"))
    other_product = _friend(me, username="fay")
    paid_order((SKUFactory(on_hand=5), 1), buyer=other_product)

    with CaptureQueriesContext(connection) as queries:
        buyers = friends_who_bought(me, sku.product_id)
    assert len(queries) == 1
    assert buyers.count == 2
    assert [face["username"] for face in buyers.faces] == ["ana", "bo"]


def test_the_opted_out_and_the_blocked_never_appear(me, sku):
    shown = _friend(me, username="ana")
    hidden = _friend(me, username="bo")
    blocked = _friend(me, username="cy")
    blocking = _friend(me, username="dee")
    gone = _friend(me, username="eve")
    for friend in (shown, hidden, blocked, blocking, gone):
        paid_order((sku, 1), buyer=friend)
    set_shows_purchases(user=hidden, show=False)
    BlockFactory(blocker=me, blocked=blocked)
    BlockFactory(blocker=blocking, blocked=me)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    buyers = friends_who_bought(me, sku.product_id)
    assert buyers.count == 1
    assert [face["username"] for face in buyers.faces] == ["ana"]
    set_shows_purchases(user=hidden, show=True)
    assert friends_who_bought(me, sku.product_id).count == 2


def test_faces_are_capped_but_the_count_is_all(me, sku):
    for n in range(7):
        paid_order((sku, 1), buyer=_friend(me, username=f"f{n}"))
    buyers = friends_who_bought(me, sku.product_id, faces=5)
    assert buyers.count == 7
    assert len(buyers.faces) == 5


def test_a_visitor_sees_nothing(sku):
    assert friends_who_bought(None, sku.product_id).count == 0


def test_the_product_page_slot_shows_count_and_faces(client, me, sku):
    ana = _friend(me, username="ana", display_name="Ana")
    paid_order((sku, 1), buyer=ana)
    for n in range(3):
        paid_order((sku, 1), buyer=_friend(me, username=f"z{n}"))
    url = reverse("feed:product_buyers", kwargs={"product_id": sku.product_id})
    assert client.get(url).content == b""  # a visitor: the slot stays empty
    client.force_login(me)
    html = client.get(url).content.decode()
    assert 'data-buyers-count="4"' in html
    assert "Ana" in html
    assert "3 other friends bought this" in html
    product_page = client.get(reverse("commerce:product_detail", args=[sku.product_id]))
    assert f'hx-get="{url}"' in product_page.content.decode()
    nobody = reverse("feed:product_buyers", kwargs={"product_id": SKUFactory().product_id})
    assert client.get(nobody).content == b""


def test_privacy_api_reads_and_changes_the_choice(api_client, me):
    assert api_client.get("/api/v1/me/privacy").status_code in (401, 403)
    api_client.force_authenticate(me)
    assert api_client.get("/api/v1/me/privacy").json() == {"show_purchases": True}
    response = api_client.put("/api/v1/me/privacy", {"show_purchases": False}, format="json")
    assert response.json() == {"show_purchases": False}
    assert api_client.get("/api/v1/me/privacy").json() == {"show_purchases": False}
    response = api_client.patch("/api/v1/me/privacy", {"show_purchases": "maybe"}, format="json")
    assert response.status_code == 400
    assert "error" in response.json()
    assert api_client.get("/api/v1/me/privacy").json() == {"show_purchases": False}


def test_privacy_page_toggles_the_choice(client, me):
    url = reverse("feed:privacy")
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(me)
    assert "checked" in client.get(url).content.decode()
    response = client.post(url, {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "checked" not in response.content.decode()
    assert "checked" not in client.get(url).content.decode()
    client.post(url, {"show_purchases": "on"})
    assert "checked" in client.get(url).content.decode()


def test_the_profile_settings_link_to_the_privacy_settings(client):
    client.force_login(UserFactory())

    page = client.get(reverse("accounts:profile_edit")).content.decode()

    assert f'href="{reverse("feed:privacy")}"' in page
