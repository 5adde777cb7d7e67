"""The shop's payable balance and movements, and the console's Money page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backend.ledger.models import AccountKind
from backend.ledger.services import account_get_or_create, transaction_post
from commerce.payables.selectors import shop_movements, shop_payable_balance
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory

pytestmark = pytest.mark.django_db

MONEY = "/console/money/"


def _sale(merchant, amount: int, key: str) -> None:
    clearing = account_get_or_create(kind=AccountKind.GATEWAY_CLEARING)
    payable = account_get_or_create(kind=AccountKind.MERCHANT_PAYABLE, owner_id=merchant.pk)
    transaction_post(
        idempotency_key=key,
        entries=[(clearing, -amount), (payable, amount)],
        description=f"Sale {key}",
    )


def test_money_url_is_the_console_money_page():
    """The page lives under the console."""
    assert reverse("commerce:console_money") == MONEY


def test_a_new_shop_is_owed_nothing():
    """No sale yet: balance 0 and no movements, without opening an account."""
    shop = MerchantFactory()

    assert shop_payable_balance(shop) == 0
    assert list(shop_movements(shop)) == []


def test_balance_and_movements_are_the_shops_own():
    """Another shop's sales change neither the balance nor the movements."""
    shop, other = MerchantFactory(), MerchantFactory()
    _sale(shop, 1200, "a")
    _sale(shop, -200, "b")
    _sale(other, 9900, "c")

    assert shop_payable_balance(shop) == 1000
    assert [entry.amount for entry in shop_movements(shop)] == [-200, 1200]


def test_page_shows_balance_and_movements(client, django_assert_max_num_queries):
    """The owner sees the balance card and the newest movements, in bounded queries."""
    shop = MerchantFactory()
    for number in range(30):
        _sale(shop, 100, f"sale-{number}")
    client.force_login(shop.owner)

    with django_assert_max_num_queries(12):
        response = client.get(MONEY)

    assert response.status_code == 200
    body = response.content.decode()
    assert "30.00" in body
    assert body.count("Sale sale-") == 25
    assert "Sale sale-29" in body
    assert "Sale sale-0<" not in body
    assert 'rel="next"' in body


def test_a_negative_balance_says_the_shop_owes(client):
    """Refunds beyond what is owed show as money owed to the platform."""
    shop = MerchantFactory()
    _sale(shop, -350, "refund")
    client.force_login(shop.owner)

    body = client.get(MONEY).content.decode()

    assert "−¥3.50" in body
    assert "owes the platform" in body


def test_someone_without_a_shop_goes_to_the_console_home(client):
    """Only a shop's staff see a Money page."""
    client.force_login(UserFactory())

    response = client.get(MONEY)

    assert response.status_code == 302
    assert response.url == reverse("commerce:console_home")


def test_signed_out_visitors_are_asked_to_sign_in(client):
    assert client.get(MONEY).status_code == 302
