"""Refund pages: the request form on the order page, the console's Refunds list and decisions."""

import pytest
from django.urls import reverse

from commerce.models import Refund, RefundStatus
from tests.commerce.refunding import ask, paid_order
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory

pytestmark = pytest.mark.django_db


def test_order_page_offers_the_form_and_posting_requests(client):
    """A paid order's page has the refund form; posting it creates the request, then shown."""
    buyer = UserFactory()
    order = paid_order(buyer, (SKUFactory(price=900), 2))
    line = order.lines.get()
    client.force_login(buyer)

    page = client.get(_detail_url(order))
    assert f'name="qty_{line.pk}"' in page.content.decode()

    response = client.post(_create_url(order), {f"qty_{line.pk}": "1", "reason": "Bruised"})
    assert response.status_code == 302
    refund = Refund.objects.get()
    assert (refund.amount, refund.status) == (900, RefundStatus.REQUESTED)
    assert 'data-refund-status="requested"' in client.get(_detail_url(order)).content.decode()


def test_posting_to_another_buyers_order_is_404(client):
    order = paid_order(UserFactory(), (SKUFactory(), 1))
    client.force_login(UserFactory())
    response = client.post(_create_url(order), {f"qty_{order.lines.get().pk}": "1", "reason": "x"})
    assert response.status_code == 404
    assert not Refund.objects.exists()


def test_console_lists_and_approves(client):
    order = paid_order(UserFactory(), (SKUFactory(), 1))
    refund = ask(order, 1)
    client.force_login(order.merchant.owner)

    page = client.get(_reverse("commerce:console_refunds"))
    assert f'data-refund="{refund.pk}"' in page.content.decode()
    client.post(_reverse("commerce:console_refund_approve", refund_id=refund.pk))

    refund.refresh_from_db()
    assert refund.status == RefundStatus.APPROVED


def test_console_of_another_shop_cannot_decide(client):
    refund = ask(paid_order(UserFactory(), (SKUFactory(), 1)), 1)
    client.force_login(SKUFactory().product.merchant.owner)
    assert (
        f'data-refund="{refund.pk}"'
        not in client.get(_reverse("commerce:console_refunds")).content.decode()
    )
    response = client.post(_reverse("commerce:console_refund_reject", refund_id=refund.pk))
    assert response.status_code == 404
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REQUESTED


def _reverse(name, **kwargs):
    return reverse(name, kwargs=kwargs)


def _detail_url(order):
    return _reverse("commerce:order_detail", order_id=order.pk)


def _create_url(order):
    return _reverse("commerce:order_refund_create", order_id=order.pk)
