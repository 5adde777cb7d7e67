from backend.api.urls import api_path
from commerce.orders import api, merchant_api

urlpatterns = [
    *api_path("orders", api.OrderListView.as_view(), name="orders"),
    *api_path("orders/<int:order_id>", api.OrderDetailView.as_view(), name="order"),
    *api_path("orders/<int:order_id>/cancel", api.OrderCancelView.as_view(), name="order_cancel"),
    *api_path(
        "orders/<int:order_id>/confirm-delivery",
        api.OrderConfirmDeliveryView.as_view(),
        name="order_confirm_delivery",
    ),
    *api_path("merchant/orders", merchant_api.ShopOrderListView.as_view(), name="merchant-orders"),
    *api_path(
        "merchant/orders/<int:order_id>",
        merchant_api.ShopOrderDetailView.as_view(),
        name="merchant-order",
    ),
    *api_path(
        "merchant/orders/<int:order_id>/ship",
        merchant_api.ShopOrderShipView.as_view(),
        name="merchant-order-ship",
    ),
]
