from django.urls import path

from commerce.console import views

urlpatterns = [
    path("console/", views.console_home, name="console_home"),
    path("console/shop/", views.console_shop, name="console_shop"),
    path("console/staff/", views.console_staff, name="console_staff"),
    path(
        "console/staff/<int:user_id>/remove/",
        views.console_staff_remove,
        name="console_staff_remove",
    ),
    path("console/products/", views.console_products, name="console_products"),
    path("console/products/new/", views.console_product_create, name="console_product_create"),
    path(
        "console/products/<int:product_id>/",
        views.console_product_edit,
        name="console_product_edit",
    ),
    path("console/skus/<int:sku_id>/", views.console_sku_edit, name="console_sku_edit"),
]
