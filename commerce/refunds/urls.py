from django.urls import path

from commerce.refunds import views

urlpatterns = [
    path(
        "orders/<int:order_id>/refunds/",
        views.order_refund_create,
        name="order_refund_create",
    ),
    path("console/refunds/", views.console_refunds, name="console_refunds"),
    path(
        "console/refunds/<int:refund_id>/approve/",
        views.console_refund_decide,
        {"decision": "approve"},
        name="console_refund_approve",
    ),
    path(
        "console/refunds/<int:refund_id>/reject/",
        views.console_refund_decide,
        {"decision": "reject"},
        name="console_refund_reject",
    ),
]
