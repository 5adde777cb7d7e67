"""API.md "Payments": the sandbox webhook receiver and the buyer's view of a payment."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.payments import selectors, webhooks


class PaymentOut(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.CharField()
    currency = serializers.CharField()
    provider = serializers.CharField()
    status = serializers.CharField()
    pay_url = serializers.URLField()


class PaymentMerchantOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PaymentOrderOut(serializers.Serializer):
    id = serializers.IntegerField()
    merchant = PaymentMerchantOut()
    total = serializers.CharField()
    currency = serializers.CharField()
    status = serializers.CharField()


class PaymentDetailOut(PaymentOut):
    orders = PaymentOrderOut(many=True)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)


class WebhookOut(serializers.Serializer):
    received = serializers.BooleanField()
    duplicate = serializers.BooleanField()
    status = serializers.CharField()


class PaymentDetailApi(APIView):
    @extend_schema(responses=PaymentDetailOut)
    def get(self, request, payment_id: int):
        payment = selectors.payment_get_for_buyer(payment_id=payment_id, buyer=request.user)
        return Response(PaymentDetailOut(selectors.payment_detail_out(payment)).data)


class SandboxWebhookApi(APIView):
    """Public, authenticated by the signature over the raw body: no session, no CSRF, no
    throttle (a gateway retrying must never be turned away by a rate limit)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        request=None,
        responses={200: WebhookOut, 400: OpenApiResponse(description="bad_signature etc.")},
    )
    def post(self, request):
        receipt = webhooks.webhook_receive(
            provider="sandbox", headers=request.headers, raw_body=request.body
        )
        return Response(
            WebhookOut(
                {
                    "received": True,
                    "duplicate": receipt.duplicate,
                    "status": receipt.event.status,
                }
            ).data
        )
