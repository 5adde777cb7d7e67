"""The operators' order admin: list and page render, read-only, bounded queries."""

import pytest
from django.urls import reverse

from commerce.models import OrderStatus
from commerce.orders.services import order_cancel
from tests.commerce.buying import buy
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def order():
    sku = SKUFactory(
        name="2 kg box",
        price=1250,
        product__name="Blood oranges",
        product__merchant__name="Casa Citrus",
    )
    return buy(UserFactory(username="mei"), (sku, 2)).orders[0]


def test_changelist_lists_orders_with_formatted_totals(client, operator, order):
    """The list shows each order with its buyer, shop and total as a decimal amount."""
    response = client.get(reverse("admin:commerce_order_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "mei" in html
    assert order.merchant.name in html
    assert f"{order.total // 100}.{order.total % 100:02d} {order.currency}" in html


def test_changelist_searches_by_id_buyer_and_shop(client, operator, order):
    """Search finds an order by its id, its buyer's username or its shop's name."""
    # Names without digits, so that searching for the order's id matches nothing else.
    buy(UserFactory(username="tomas"), (SKUFactory(product__merchant__name="Bakery"), 1))
    url = reverse("admin:commerce_order_changelist")

    for term in (str(order.pk), "mei", order.merchant.name):
        found = client.get(url, {"q": term}).context["cl"].result_list
        assert list(found) == [order], term
    assert list(client.get(url, {"q": "not-a-number"}).context["cl"].result_list) == []


def test_change_page_shows_lines_and_timeline(client, operator, order):
    """An order's page shows its lines (names, amounts) and its status timeline."""
    order_cancel(order=order, actor=order.buyer, reason="Changed my mind.")

    response = client.get(reverse("admin:commerce_order_change", args=[order.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Blood oranges" in html
    assert "2 kg box" in html
    assert "12.50" in html
    assert "25.00" in html
    assert "Changed my mind." in html
    assert "timeline" in html.lower()


def test_orders_cannot_be_added_changed_or_deleted(client, operator, order):
    """Statuses move through the services only: no add, edit or delete from the admin."""
    change_url = reverse("admin:commerce_order_change", args=[order.pk])

    assert client.get(reverse("admin:commerce_order_add")).status_code == 403
    assert client.post(change_url, {"status": "paid"}).status_code == 403
    delete_url = reverse("admin:commerce_order_delete", args=[order.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert "Save" not in client.get(change_url).content.decode()


def test_changelist_queries_do_not_grow_with_orders(
    client, operator, django_assert_max_num_queries
):
    """A page of orders costs a fixed number of queries, however many orders it shows."""
    for _ in range(3):
        buy(UserFactory(), (SKUFactory(), 1), (SKUFactory(), 1))
    url = reverse("admin:commerce_order_changelist")
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for _ in range(12):
        buy(UserFactory(), (SKUFactory(), 1))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 18
