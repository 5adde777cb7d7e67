from backend.api.urls import api_path
from commerce.refunds import api

urlpatterns = [
    *api_path(
        "orders/<int:order_id>/refunds", api.OrderRefundsView.as_view(), name="order_refunds"
    ),
    *api_path("merchant/refunds", api.MerchantRefundListView.as_view(), name="merchant_refunds"),
    *api_path(
        "merchant/refunds/<int:refund_id>/approve",
        api.MerchantRefundApproveView.as_view(),
        name="merchant_refund_approve",
    ),
    *api_path(
        "merchant/refunds/<int:refund_id>/reject",
        api.MerchantRefundRejectView.as_view(),
        name="merchant_refund_reject",
    ),
]
