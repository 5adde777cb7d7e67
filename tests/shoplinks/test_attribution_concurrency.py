"""Two deliveries of one order.paid deciding the same lines at the same moment, on PostgreSQL
with real threads: the unique constraints leave one decision per line and one event."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from backend.events.models import Event
from shoplinks.attribution import handlers
from shoplinks.models import Decision, Reason
from tests.factories import UserFactory
from tests.factories_commerce import SKUFactory
from tests.shoplinks.attribution_support import (
    buy_and_pay,
    decided_payloads,
    forget_decisions,
    make_link,
    stored_click,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services("postgres")]


def test_racing_deliveries_decide_each_line_once(client, monkeypatch):
    """Both deliveries read "not decided yet", then both insert: one wins, the other meets the
    constraint and publishes nothing."""
    sku, buyer = SKUFactory(), UserFactory()
    stored_click(make_link(UserFactory(), sku.product), user=buyer)
    buy_and_pay(client, buyer, (sku, 1))
    paid = Event.objects.get(name="order.paid")
    forget_decisions(Decision.objects.all())
    Event.objects.filter(name="attribution.decided").delete()
    both_read = threading.Barrier(2, timeout=10)
    decide = handlers.decide

    def decide_together(**kwargs):
        # Both have found the line undecided before either inserts.
        both_read.wait()
        return decide(**kwargs)

    monkeypatch.setattr(handlers, "decide", decide_together)
    errors: list[Exception] = []

    def deliver() -> None:
        try:
            with transaction.atomic():
                handlers.on_order_paid(paid)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert list(Decision.objects.values_list("reason", "final")) == [(Reason.CREDITED, True)]
    assert len(decided_payloads()) == 1
