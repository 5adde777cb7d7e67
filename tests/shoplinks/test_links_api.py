"""`POST shoplinks` and `GET shoplinks`: my links with their counted clicks and orders, and
nobody else's."""

import uuid

import pytest
from django.utils import timezone

from shoplinks.models import AgentClass, Click, Decision, Reason
from tests.factories import UserFactory
from tests.factories_commerce import ProductImageFactory
from tests.factories_posts import PostFactory, ProductTagFactory
from tests.shoplinks.tap_support import new_link, product_for_sale, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def sharer(api_client):
    user = UserFactory()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return user


def _click(link, *, counted=True, **flags) -> Click:
    return Click.objects.create(
        uid=uuid.uuid4(),
        link=link,
        product_id=link.product_id,
        sharer_id=link.sharer_id,
        visitor_id="v",
        clicked_at=timezone.now(),
        agent_class=AgentClass.MOBILE,
        counted=counted,
        **flags,
    )


def _credit(link, order_line, *, reason=Reason.CREDITED, final=True) -> Decision:
    """A stored decision for a paid line (the attribution helper's rows, made directly here)."""
    return Decision.objects.create(
        line=order_line,
        order=order_line.order,
        product_id=link.product_id,
        buyer=order_line.order.buyer,
        link=link if reason != Reason.NO_CLICK else None,
        sharer_id=link.sharer_id,
        reason=reason,
        final=final,
        net_amount=order_line.net_amount,
        placed_at=timezone.now(),
    )


def test_post_makes_a_link_then_returns_it(api_client, sharer):
    """201 with {code, url, product_id, post_id} the first time, 200 and the same link after."""
    product = product_for_sale()
    first = api_client.post("/api/v1/shoplinks", {"product_id": product.pk}, format="json")
    again = api_client.post("/api/v1/shoplinks/", {"product_id": product.pk}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    body = first.json()
    assert body == again.json()
    assert body["url"] == f"http://testserver/s/{body['code']}"
    assert (body["product_id"], body["post_id"]) == (product.pk, None)


def test_post_with_a_post_that_tags_the_product(api_client, sharer):
    """A visible post tagging the product gives a link from that post."""
    tag = ProductTagFactory(product=product_for_sale())
    response = api_client.post(
        "/api/v1/shoplinks",
        {"product_id": tag.product_id, "post_id": tag.post_id},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["post_id"] == tag.post_id


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "invalid"),
        ({"product_id": "mango"}, 400, "invalid"),
        ({"product_id": 999999}, 404, "not_found"),
    ],
)
def test_post_refuses_bad_input_in_the_error_shape(api_client, sharer, body, status, code):
    """Missing or bad product ids are 400, unknown ones 404, in the API's error shape."""
    response = api_client.post("/api/v1/shoplinks", body, format="json")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_post_refuses_a_post_that_does_not_tag_the_product(api_client, sharer):
    """400 product_not_in_post naming post_id."""
    post = PostFactory(author=sharer)
    response = api_client.post(
        "/api/v1/shoplinks",
        {"product_id": product_for_sale().pk, "post_id": post.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "product_not_in_post"
    assert "post_id" in response.json()["error"]["fields"]


def test_post_with_a_post_i_cannot_see_is_404(api_client, sharer):
    """A close-friends post of someone else does not exist for me."""
    tag = ProductTagFactory(product=product_for_sale(), post__visibility="close_friends")
    response = api_client.post(
        "/api/v1/shoplinks",
        {"product_id": tag.product_id, "post_id": tag.post_id},
        format="json",
    )
    assert response.status_code == 404


def test_both_routes_need_a_signed_in_user(api_client):
    """Anonymous: 401 on both methods."""
    assert api_client.get("/api/v1/shoplinks").status_code == 401
    assert api_client.post("/api/v1/shoplinks", {"product_id": 1}).status_code == 401


def test_my_links_list_counted_clicks_and_distinct_orders(api_client, sharer):
    """Each of my links shows its product, post, counted clicks only (flagged taps left out) and
    the number of distinct orders with a line credited to it; newest first."""
    from tests.commerce.buying import buy

    product = product_for_sale()
    ProductImageFactory(product=product)
    post = ProductTagFactory(product=product, post__author=sharer).post
    plain = new_link(sharer=sharer, product=product)
    from_post = new_link(sharer=sharer, product=product, post=post)
    for _ in range(3):
        _click(plain)
    _click(plain, counted=False, is_bot=True)
    _click(plain, counted=False, is_duplicate=True)
    _click(from_post)
    buyer = UserFactory()
    sku = product.skus.first()
    [order] = buy(buyer, (sku, 1)).orders
    [line] = order.lines.all()
    _credit(plain, line)
    [second_order] = buy(buyer, (sku, 1)).orders
    _credit(from_post, second_order.lines.get(), reason=Reason.SELF_PURCHASE)
    response = api_client.get("/api/v1/shoplinks")
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    newest, oldest = body["results"]
    assert (newest["code"], oldest["code"]) == (from_post.code, plain.code)
    assert (oldest["clicks"], oldest["orders"]) == (3, 1)
    assert (newest["clicks"], newest["orders"]) == (1, 0)
    assert newest["post"] == {"id": post.pk}
    assert oldest["post"] is None
    assert oldest["product"]["id"] == product.pk
    assert oldest["product"]["name"] == product.name
    assert oldest["product"]["price"] == "12.50"
    assert oldest["product"]["currency"] == "CNY"
    assert oldest["product"]["image"].startswith("http://testserver/")
    assert oldest["url"] == f"http://testserver/s/{plain.code}"
    assert "created_at" in oldest


def test_another_sharers_links_and_figures_never_show(api_client, sharer):
    """My list has only my links; another sharer's link on the same product, with its clicks,
    is not in it."""
    product = product_for_sale()
    mine = new_link(sharer=sharer, product=product)
    theirs = new_link(product=product)
    for _ in range(5):
        _click(theirs)
    results = api_client.get("/api/v1/shoplinks").json()["results"]
    assert [link["code"] for link in results] == [mine.code]
    assert results[0]["clicks"] == 0


def test_the_list_costs_a_fixed_number_of_queries(
    api_client, sharer, django_assert_max_num_queries
):
    """Twenty links with clicks cost the same queries as one (no query per link)."""
    for _ in range(20):
        _click(new_link(sharer=sharer))
    # Token, count, page (clicks and orders in subqueries), products: 4, plus a spare.
    with django_assert_max_num_queries(5):
        response = api_client.get("/api/v1/shoplinks")
    assert len(response.json()["results"]) == 20


def test_the_list_is_paginated(api_client, sharer):
    """page_size limits the page and `next` leads on."""
    for _ in range(3):
        new_link(sharer=sharer)
    body = api_client.get("/api/v1/shoplinks?page_size=2").json()
    assert len(body["results"]) == 2
    assert body["next"]
    assert len(api_client.get(body["next"]).json()["results"]) == 1
