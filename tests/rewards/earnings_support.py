"""Steps shared by the earnings tests: a sharer whose link sold, made with the real services
(link, tap, checkout, sandbox webhook, attribution, accrual)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.test import Client
from django.utils import timezone

from commerce.models import Order
from rewards.models import Commission
from shoplinks.models import Click, Decision, ShareLink
from tests.factories import UserFactory
from tests.rewards.commission_support import sku_at
from tests.shoplinks.attribution_support import buy_and_pay, make_link, stored_click


@dataclass
class Sale:
    sharer: object
    buyer: object
    link: ShareLink
    order: Order
    commission: Commission


def sale(
    sharer=None, *, rate_bp: int = 1000, price: int = 10_000, quantity: int = 2, sku=None, post=None
) -> Sale:
    """`sharer`'s link to a product at `rate_bp`; a friend taps it and buys `quantity` units."""
    sharer = sharer or UserFactory()
    buyer = UserFactory()
    sku = sku or sku_at(rate_bp, price=price)
    link = make_link(sharer, sku.product, post)
    stored_click(link, user=buyer)
    (order,) = buy_and_pay(Client(), buyer, (sku, quantity))
    return Sale(sharer, buyer, link, order, Commission.objects.get(order=order))


def move_to(commission: Commission, when: datetime, *, tapped_before=timedelta(hours=3)) -> None:
    """Put the commission (with its order's placing and the tap that won it) at `when`, as if
    it had happened then."""
    Commission.objects.filter(pk=commission.pk).update(created_at=when)
    Decision.objects.filter(pk=commission.decision_id).update(placed_at=when)
    Click.objects.filter(pk=commission.click_id).update(clicked_at=when - tapped_before)


def past(**delta) -> datetime:
    return timezone.now() - timedelta(**delta)
