from django.urls import path

from commerce.orders import console_views, views

urlpatterns = [
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:order_id>/", views.order_detail, name="order_detail"),
    path("orders/<int:order_id>/cancel", views.order_cancel, name="order_cancel"),
    path(
        "orders/<int:order_id>/confirm-delivery",
        views.order_confirm_delivery,
        name="order_confirm_delivery",
    ),
    path("console/orders/", console_views.console_orders, name="console_orders"),
    path(
        "console/orders/<int:order_id>/",
        console_views.console_order_detail,
        name="console_order_detail",
    ),
    path(
        "console/orders/<int:order_id>/ship",
        console_views.console_order_ship,
        name="console_order_ship",
    ),
]
