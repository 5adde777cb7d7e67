"""The share links' API under /api/v1/ (API.md "Shop links and attribution")."""

from backend.api.urls import api_path
from shoplinks.api import ShareLinksApi

urlpatterns = [
    *api_path("shoplinks", ShareLinksApi.as_view(), "api-shoplinks"),
]
