from django.urls import path

from commerce.catalog import views

urlpatterns = [
    path("products/", views.product_list, name="product_list"),
    path("products/<int:product_id>/", views.product_detail, name="product_detail"),
    path("shops/<slug:slug>/", views.shop_detail, name="shop_detail"),
]
