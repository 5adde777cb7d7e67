"""POST checkout: honours Idempotency-Key, so a retried submit never places a second order."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.idempotency.services import idempotent
from backend.money import MoneyField
from commerce.checkout.services import CheckoutResult, checkout_place
from commerce.payments.selectors import payment_out


class CheckoutIn(serializers.Serializer):
    # Checked by the service (address_clean), which pages share: field errors in one place.
    address = serializers.JSONField()
    coupon_code = serializers.CharField(required=False, allow_blank=True, default="")


class CheckoutOrderOut(serializers.Serializer):
    id = serializers.IntegerField()
    merchant = serializers.SerializerMethodField()
    total = MoneyField()
    currency = serializers.CharField()
    status = serializers.CharField()

    def get_merchant(self, order) -> dict:
        return {"id": order.merchant_id, "name": order.merchant.name}


def checkout_out(result: CheckoutResult) -> dict:
    return {
        "payment": payment_out(result.payment),
        "orders": CheckoutOrderOut(result.orders, many=True).data,
    }


class CheckoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Place my cart: one order per shop, one payment",
        request=CheckoutIn,
        responses={201: dict},
    )
    def post(self, request: Request) -> Response:
        def place() -> Response:
            data = CheckoutIn(data=request.data)
            data.is_valid(raise_exception=True)
            result = checkout_place(buyer=request.user, **data.validated_data)
            return Response(checkout_out(result), status=201)

        return idempotent(request, "checkout", place)
