"""The rewards API under /api/v1/ (API.md "Rewards"): the earnings reads (api.py) and the
payee and payouts (api_payouts.py)."""

from backend.api.urls import api_path
from rewards.api import CommissionsApi, DailyApi, EarningsApi, LinksApi
from rewards.api_payouts import PayeeApi, PayoutsApi

urlpatterns = [
    *api_path("earnings", EarningsApi.as_view(), "api-earnings"),
    *api_path("earnings/commissions", CommissionsApi.as_view(), "api-earnings-commissions"),
    *api_path("earnings/daily", DailyApi.as_view(), "api-earnings-daily"),
    *api_path("earnings/links", LinksApi.as_view(), "api-earnings-links"),
    *api_path("earnings/payee", PayeeApi.as_view(), "api-earnings-payee"),
    *api_path("payouts", PayoutsApi.as_view(), "api-payouts"),
]
