"""An order after payment: the transition table, shipping (stock), delivery (by the buyer or
automatic), completion after the return window, and the jobs that run them."""

from datetime import time, timedelta
from io import StringIO
from itertools import product

import pytest
from django.core.management import call_command
from django.utils import timezone

from backend.errors import InvalidInput, InvalidTransition, NotFound
from backend.events.models import Event
from backend.scheduler import PERIODIC_JOBS
from commerce.models import (
    SKU,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Refund,
    RefundStatus,
    Shipment,
)
from commerce.orders.lifecycle import (
    order_confirm_delivery,
    order_ship,
    orders_auto_deliver,
    orders_complete,
)
from commerce.orders.transitions import ALLOWED, can_move, check_move
from tests.commerce.buying import buy
from tests.commerce.lifecycle_support import delivered_order, paid_order, shipped_order
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory

pytestmark = pytest.mark.django_db

S = OrderStatus


def published(name: str, order: Order) -> int:
    return Event.objects.filter(name=name, payload__order=order.pk).count()


# --- The table --------------------------------------------------------------------------------

FORBIDDEN = [
    (before, after) for before, after in product(S.values, S.values) if after not in ALLOWED[before]
]


@pytest.mark.parametrize(("before", "after"), FORBIDDEN)
def test_every_move_outside_the_table_is_refused(before, after):
    """A move the table does not list raises InvalidTransition (409 invalid_transition)."""
    with pytest.raises(InvalidTransition) as caught:
        check_move(before, after)
    assert caught.value.code == "invalid_transition"


def test_life_after_payment_follows_api_md():
    """The moves of API.md are allowed; completed, refunded and cancelled are final."""
    for before, after in [
        (S.PAID, S.SHIPPED),
        (S.SHIPPED, S.DELIVERED),
        (S.DELIVERED, S.COMPLETED),
        (S.PARTIALLY_REFUNDED, S.SHIPPED),
        (S.PARTIALLY_REFUNDED, S.DELIVERED),
        (S.PARTIALLY_REFUNDED, S.COMPLETED),
        (S.DELIVERED, S.REFUNDED),
    ]:
        assert can_move(before, after)
    for final in (S.COMPLETED, S.REFUNDED, S.CANCELLED):
        assert ALLOWED[final] == frozenset()
    assert not can_move(S.PAID, S.CANCELLED)


# --- Shipping ---------------------------------------------------------------------------------


def test_ship_deducts_the_units_owed_from_on_hand_and_reserved():
    """Shipping 3 reserved units of a SKU with 10 on hand leaves 7 on hand and 0 reserved."""
    sku = SKUFactory(on_hand=10)
    order = paid_order((sku, 3))
    assert SKU.objects.get(pk=sku.pk).reserved == 3

    order = order_ship(order=order, actor=None, carrier="SF Express", tracking_number="SF1")

    sku.refresh_from_db()
    assert (sku.on_hand, sku.reserved) == (7, 0)
    assert order.status == S.SHIPPED
    shipment = Shipment.objects.get(order=order)
    assert (shipment.carrier, shipment.tracking_number) == ("SF Express", "SF1")
    assert OrderEvent.objects.filter(order=order, to_status=S.SHIPPED).count() == 1
    assert published("order.shipped", order) == 1


def test_ship_skips_units_already_refunded():
    """Units refunded before shipping (their reservation already released) are not deducted."""
    sku = SKUFactory(on_hand=10)
    order = paid_order((sku, 3))
    OrderLine.objects.filter(order=order).update(refunded_quantity=1)
    SKU.objects.filter(pk=sku.pk).update(reserved=2)
    Order.objects.filter(pk=order.pk).update(status=S.PARTIALLY_REFUNDED)

    order = order_ship(order=order, actor=None, carrier="EMS", tracking_number="E1")

    sku.refresh_from_db()
    assert (sku.on_hand, sku.reserved) == (8, 0)
    assert order.status == S.SHIPPED


def test_ship_twice_is_refused_and_deducts_once():
    """A second shipment is 409 and the stock is deducted only once."""
    sku = SKUFactory(on_hand=10)
    order = paid_order((sku, 2))
    order_ship(order=order, actor=None, carrier="EMS", tracking_number="E1")
    Order.objects.filter(pk=order.pk).update(status=S.PARTIALLY_REFUNDED)

    with pytest.raises(InvalidTransition):
        order_ship(order=order, actor=None, carrier="EMS", tracking_number="E2")

    assert SKU.objects.get(pk=sku.pk).on_hand == 8
    assert Shipment.objects.filter(order=order).count() == 1


def test_an_unpaid_order_cannot_be_shipped():
    """Only a paid order ships: an unpaid one is 409 and keeps its reservation."""
    sku = SKUFactory(on_hand=10)
    [order] = buy(UserFactory(), (sku, 2)).orders

    with pytest.raises(InvalidTransition):
        order_ship(order=order, actor=None, carrier="EMS", tracking_number="E1")

    sku.refresh_from_db()
    assert (sku.on_hand, sku.reserved) == (10, 2)


def test_blank_carrier_is_invalid_input():
    """A blank carrier or tracking number is 400 and ships nothing."""
    order = paid_order()
    with pytest.raises(InvalidInput):
        order_ship(order=order, actor=None, carrier=" ", tracking_number="E1")
    assert not Shipment.objects.filter(order=order).exists()


# --- Delivery ---------------------------------------------------------------------------------


def test_buyer_confirms_delivery_of_a_shipped_order():
    """Confirming sets delivered and delivered_at and publishes order.delivered once."""
    order = shipped_order()

    order = order_confirm_delivery(order=order, actor=order.buyer)

    assert order.status == S.DELIVERED
    assert order.delivered_at is not None
    assert published("order.delivered", order) == 1
    with pytest.raises(InvalidTransition):
        order_confirm_delivery(order=order, actor=order.buyer)


def test_delivery_of_an_unshipped_order_is_refused():
    """A paid order, or a partially refunded one not shipped yet, cannot be delivered."""
    order = paid_order()
    with pytest.raises(InvalidTransition):
        order_confirm_delivery(order=order, actor=order.buyer)
    Order.objects.filter(pk=order.pk).update(status=S.PARTIALLY_REFUNDED)
    with pytest.raises(InvalidTransition):
        order_confirm_delivery(order=order, actor=order.buyer)


def test_only_the_buyer_confirms_delivery():
    """Another user confirming is NotFound and the order stays shipped."""
    order = shipped_order()
    with pytest.raises(NotFound):
        order_confirm_delivery(order=order, actor=UserFactory())
    assert Order.objects.get(pk=order.pk).status == S.SHIPPED


def test_auto_delivery_after_the_setting(settings):
    """Orders shipped AUTO_DELIVERY_DAYS ago become delivered; younger ones wait."""
    settings.AUTO_DELIVERY_DAYS = 10
    old, young = shipped_order(), shipped_order()
    Shipment.objects.filter(order=old).update(shipped_at=timezone.now() - timedelta(days=11))
    Shipment.objects.filter(order=young).update(shipped_at=timezone.now() - timedelta(days=9))

    assert orders_auto_deliver() == 1

    old.refresh_from_db()
    assert (old.status, old.delivered_at is not None) == (S.DELIVERED, True)
    assert Order.objects.get(pk=young.pk).status == S.SHIPPED
    assert orders_auto_deliver() == 0


# --- Completion -------------------------------------------------------------------------------


def test_complete_orders_after_the_return_window(settings):
    """Delivered orders older than RETURN_WINDOW_DAYS complete (event + order.completed);
    younger ones, and shipped ones, wait."""
    settings.RETURN_WINDOW_DAYS = 7
    old, young, shipped = delivered_order(days_ago=8), delivered_order(days_ago=6), shipped_order()

    assert orders_complete() == 1

    old.refresh_from_db()
    assert (old.status, old.completed_at is not None) == (S.COMPLETED, True)
    assert OrderEvent.objects.filter(order=old, to_status=S.COMPLETED).count() == 1
    assert published("order.completed", old) == 1
    assert Order.objects.get(pk=young.pk).status == S.DELIVERED
    assert Order.objects.get(pk=shipped.pk).status == S.SHIPPED
    assert orders_complete() == 0


def test_the_window_is_read_when_it_runs(settings):
    """The RETURN_WINDOW_DAYS in force when complete_orders runs decides."""
    order = delivered_order(days_ago=5)
    settings.RETURN_WINDOW_DAYS = 7
    assert orders_complete() == 0
    settings.RETURN_WINDOW_DAYS = 3
    assert orders_complete() == 1
    assert Order.objects.get(pk=order.pk).status == S.COMPLETED


@pytest.mark.parametrize("status", [RefundStatus.REQUESTED, RefundStatus.APPROVED])
def test_an_open_refund_request_blocks_completion(settings, status):
    """A refund requested or approved (not settled) keeps the order open; once decided, it goes."""
    settings.RETURN_WINDOW_DAYS = 7
    order = delivered_order(days_ago=30)
    refund = Refund.objects.create(
        order=order, buyer=order.buyer, status=status, reason="Bruised", amount=100
    )

    assert orders_complete() == 0

    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.REJECTED)
    assert orders_complete() == 1


def test_partially_refunded_and_delivered_completes(settings):
    """A partially refunded order completes once delivered; one never delivered does not."""
    settings.RETURN_WINDOW_DAYS = 7
    delivered = delivered_order(days_ago=8)
    Order.objects.filter(pk=delivered.pk).update(status=S.PARTIALLY_REFUNDED)
    undelivered = paid_order()
    Order.objects.filter(pk=undelivered.pk).update(status=S.PARTIALLY_REFUNDED)

    assert orders_complete() == 1

    assert Order.objects.get(pk=delivered.pk).status == S.COMPLETED
    assert Order.objects.get(pk=undelivered.pk).status == S.PARTIALLY_REFUNDED
    event = OrderEvent.objects.get(order=delivered, to_status=S.COMPLETED)
    assert event.from_status == S.PARTIALLY_REFUNDED


def test_refunded_orders_never_complete(settings):
    """A fully refunded order is final even with an old delivery."""
    settings.RETURN_WINDOW_DAYS = 7
    order = delivered_order(days_ago=30)
    Order.objects.filter(pk=order.pk).update(status=S.REFUNDED)
    assert orders_complete() == 0
    assert Order.objects.get(pk=order.pk).status == S.REFUNDED


def test_complete_orders_walks_batches(settings):
    """Every eligible order completes whatever the batch size."""
    settings.RETURN_WINDOW_DAYS = 1
    orders = [delivered_order(days_ago=2) for _ in range(5)]
    assert orders_complete(batch_size=2) == 5
    assert set(
        Order.objects.filter(pk__in=[o.pk for o in orders]).values_list("status", flat=True)
    ) == {S.COMPLETED}


def test_complete_orders_command(settings):
    """`manage.py complete_orders` runs the same service and says how many it completed."""
    settings.RETURN_WINDOW_DAYS = 1
    delivered_order(days_ago=2)
    out = StringIO()
    call_command("complete_orders", stdout=out)
    assert "Completed 1 order(s)." in out.getvalue()


def test_delivery_and_completion_are_daily_jobs():
    """Both run daily from the scheduler's list."""
    jobs = {job.task: job for job in PERIODIC_JOBS}
    for task in (
        "commerce.orders.tasks.auto_deliver_orders",
        "commerce.orders.tasks.complete_orders",
    ):
        assert isinstance(jobs[task].daily_at, time)
