"""Payout requests racing each other, on PostgreSQL with real threads."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from backend.errors import ApplicationError
from rewards.models import Payout
from rewards.payouts import payout_request
from tests.rewards.payout_support import balances, fund, sharer_with_payee

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services("postgres")]


def test_twenty_concurrent_payouts_never_take_more_than_the_balance():
    """Balance 73.00, 20 simultaneous requests of 10.00: exactly 7 succeed, 13 are refused
    with insufficient_balance, and available + in payout still make 73.00."""
    sharer = sharer_with_payee()
    fund(sharer, 7300)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def ask() -> None:
        try:
            barrier.wait()
            try:
                payout_request(user=sharer, amount=1000)
                outcome = "ok"
            except ApplicationError as error:
                outcome = error.code
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["insufficient_balance"] * 13 + ["ok"] * 7
    assert Payout.objects.count() == 7
    assert balances(sharer) == {"pending": 0, "available": 300, "in_payout": 7000, "paid_out": 0}
