from backend.api.urls import api_path
from commerce.payments import api

urlpatterns = [
    *api_path(
        "payments/webhooks/sandbox", api.SandboxWebhookApi.as_view(), "api-payment-webhook-sandbox"
    ),
    *api_path("payments/<int:payment_id>", api.PaymentDetailApi.as_view(), "api-payment"),
]
