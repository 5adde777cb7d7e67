from backend.api.urls import api_path
from commerce.cart import api

urlpatterns = [
    *api_path("cart", api.CartView.as_view(), name="cart"),
    *api_path("cart/items", api.CartItemsView.as_view(), name="cart_items"),
    *api_path("cart/items/<int:line_id>", api.CartItemView.as_view(), name="cart_item"),
]
