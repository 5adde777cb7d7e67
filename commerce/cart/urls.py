from django.urls import path

from commerce.cart import views

urlpatterns = [
    path("cart/", views.cart, name="cart"),
    path("cart/add", views.cart_add, name="cart_add"),
    path("cart/lines/<int:line_id>", views.cart_line_update, name="cart_line_update"),
    path("cart/lines/<int:line_id>/remove", views.cart_line_remove, name="cart_line_remove"),
]
