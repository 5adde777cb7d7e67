from backend.api.urls import api_path
from commerce.orders import api

urlpatterns = [
    *api_path("orders", api.OrderListView.as_view(), name="orders"),
    *api_path("orders/<int:order_id>", api.OrderDetailView.as_view(), name="order"),
    *api_path("orders/<int:order_id>/cancel", api.OrderCancelView.as_view(), name="order_cancel"),
]
