"""The shop's pages, one module per sub-domain."""

from django.urls import include, path

app_name = "commerce"

urlpatterns = [
    path("", include(f"commerce.{part}.urls"))
    for part in (
        "catalog",
        "cart",
        "checkout",
        "orders",
        "payments",
        "console",
        "payables",
        "refunds",
    )
]
