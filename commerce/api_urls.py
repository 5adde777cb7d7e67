"""The shop's API under /api/v1/, one module per sub-domain."""

from django.urls import include, path

urlpatterns = [
    path("", include(f"commerce.{part}.api_urls"))
    for part in ("catalog", "cart", "checkout", "orders", "payments", "console", "refunds")
]
