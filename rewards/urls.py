"""The sharer's earnings pages, named `rewards:<name>`; the API is in api_urls.py."""

from django.urls import path

from rewards.pages import earnings, money_out

app_name = "rewards"

urlpatterns = [
    path("earnings/", earnings.earnings, name="earnings"),
    path("earnings/payee/", money_out.payee, name="payee"),
    path("earnings/payouts/", money_out.payout, name="payout"),
]
