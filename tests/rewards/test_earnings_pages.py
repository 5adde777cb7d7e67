"""The earnings page (/earnings/): the cards, the chart, the tables, the commissions with their
reasons, and the payee and payout forms; the signed-in sharer's own only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rewards.models import Payee, Payout, PayoutStatus
from tests.factories import UserFactory
from tests.rewards.earnings_support import sale
from tests.rewards.payout_support import fund, sharer_with_payee

pytestmark = pytest.mark.django_db


def test_the_page_is_at_the_nav_name_and_needs_a_sign_in(client):
    """`rewards:earnings` is /earnings/; a visitor is sent to sign in."""
    url = reverse("rewards:earnings")

    response = client.get(url)

    assert url == "/earnings/"
    assert response.status_code == 302
    assert "next=/earnings/" in response["Location"]


def test_the_page_shows_cards_chart_links_and_the_commission_with_its_reason(client):
    """After a sale of 2 × 100.00 at 10 %: 20.00 on the pending card, the chart drawn as SVG
    with a commission bar, the link's row, and the commission with its status and reason."""
    sold = sale(rate_bp=1000, price=10_000, quantity=2)
    client.force_login(sold.sharer)

    page = client.get("/earnings/").content.decode()

    assert 'data-card="pending"' in page
    assert "20.00" in page.split('data-card="pending"')[1].split("</div>")[0]
    for card in ("available", "in_payout", "paid_out"):
        assert f'data-card="{card}"' in page
    assert "<svg" in page
    assert 'data-series="commission"' in page
    assert ": 20.00 commission</title>" in page
    assert f'data-link="{sold.link.code}"' in page
    assert f'data-commission="{sold.commission.pk}"' in page
    assert f"Credited: a tap on your link {sold.link.code}" in page
    assert "cdn" not in page.lower()


def test_the_page_costs_a_fixed_number_of_queries(client):
    """Three sales or one: the same queries (sums and pages, nothing per row)."""
    sold = sale()
    client.force_login(sold.sharer)
    client.get("/earnings/")

    with CaptureQueriesContext(connection) as one:
        assert client.get("/earnings/").status_code == 200
    for _ in range(2):
        sale(sold.sharer)
    with CaptureQueriesContext(connection) as three:
        assert client.get("/earnings/").status_code == 200

    assert len(three) == len(one)
    assert len(one) <= 16


def test_a_stranger_sees_an_empty_page(client):
    """Someone else's page never shows the sharer's commission or link."""
    sold = sale()
    client.force_login(UserFactory())

    page = client.get("/earnings/").content.decode()

    assert sold.link.code not in page
    assert f'data-commission="{sold.commission.pk}"' not in page
    assert "No commissions yet" in page


def test_status_filter_and_range_choice(client):
    """?status=paid hides the pending commission; ?days=90 draws 90 days; a bad value falls back
    to 30."""
    sold = sale()
    client.force_login(sold.sharer)

    page = client.get("/earnings/?status=paid&days=90").content.decode()
    fallback = client.get("/earnings/?days=9999").content.decode()

    assert f'data-commission="{sold.commission.pk}"' not in page
    assert "No paid commissions" in page
    assert page.count('<rect class="chart-bar"') >= 1
    assert '<a class="chip chip-sm" href="?days=90" aria-current="true">' in page
    assert '<a class="chip chip-sm" href="?days=30" aria-current="true">' in fallback


def test_saving_the_payee(client):
    """The payee form sets where payouts go and comes back to the page."""
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/earnings/payee/", {"method": "alipay", "account": "me@example.com", "real_name": "Me"}
    )

    assert response.status_code == 302
    assert Payee.objects.get(user=user).account == "me@example.com"


def test_a_refused_payee_form_shows_the_page_again(client):
    """A missing account: 400, the page with the form's error, nothing saved."""
    user = UserFactory()
    client.force_login(user)

    response = client.post("/earnings/payee/", {"method": "alipay", "account": "", "real_name": ""})

    assert response.status_code == 400
    assert 'data-form="payee"' in response.content.decode()
    assert not Payee.objects.filter(user=user).exists()


def test_asking_for_a_payout(client):
    """With 50.00 available and a payee: a payout of 12.50 is requested and listed."""
    sharer = sharer_with_payee()
    fund(sharer, 5000)
    client.force_login(sharer)

    response = client.post("/earnings/payouts/", {"amount": "12.50"})
    page = client.get("/earnings/").content.decode()

    assert response.status_code == 302
    payout = Payout.objects.get(sharer=sharer)
    assert (payout.amount, payout.status) == (1250, PayoutStatus.REQUESTED)
    assert f'data-payout="{payout.pk}"' in page


@pytest.mark.parametrize(
    ("amount", "words"),
    [("5.00", "The smallest payout is 10.00"), ("80.00", "more than your available balance")],
)
def test_a_refused_payout_shows_why(client, amount, words):
    """Below the minimum, or above the balance: 400, the reason on the form, nothing asked."""
    sharer = sharer_with_payee()
    fund(sharer, 5000)
    client.force_login(sharer)

    response = client.post("/earnings/payouts/", {"amount": amount})

    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Payout.objects.filter(sharer=sharer).exists()


def test_no_payout_without_a_payee(client):
    """Without a payee the request is refused with the reason."""
    sharer = UserFactory()
    fund(sharer, 5000)
    client.force_login(sharer)

    response = client.post("/earnings/payouts/", {"amount": "10.00"})

    assert response.status_code == 400
    assert "Set where payouts go" in response.content.decode()
    assert not Payout.objects.exists()
