"""Refunds API: the buyer asks (POST orders/{id}/refunds) and reads; the shop's staff list and
decide (merchant/refunds...). Another user's order or another shop's refund is a 404."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PagePagination
from backend.idempotency.services import idempotent
from backend.money import MoneyField
from commerce.catalog.selectors import shop_required
from commerce.orders.selectors import order_of_buyer
from commerce.refunds import selectors, services


class RefundLineOut(serializers.Serializer):
    line_id = serializers.IntegerField(source="order_line_id")
    product = serializers.CharField(source="order_line.product_name")
    sku = serializers.CharField(source="order_line.sku_name")
    quantity = serializers.IntegerField()
    amount = MoneyField()


class RefundOut(serializers.Serializer):
    id = serializers.IntegerField()
    order_id = serializers.IntegerField()
    status = serializers.CharField()
    reason = serializers.CharField()
    amount = MoneyField()
    shipping_amount = MoneyField()
    currency = serializers.CharField(source="order.currency")
    lines = RefundLineOut(many=True)
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField()
    refunded_at = serializers.DateTimeField()


class RefundLineIn(serializers.Serializer):
    line_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)


class RefundIn(serializers.Serializer):
    lines = RefundLineIn(many=True, allow_empty=False, max_length=200)
    reason = serializers.CharField(max_length=500)


class RefundCreatedOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    amount = MoneyField()
    shipping_amount = MoneyField()
    currency = serializers.CharField(source="order.currency")


class OrderRefundsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="The refunds of my order", responses={200: RefundOut(many=True)})
    def get(self, request: Request, order_id: int) -> Response:
        refunds = selectors.refunds_of_order(request.user, order_id)
        return Response(RefundOut(refunds, many=True).data)

    @extend_schema(
        summary="Ask for a refund of some units of my order",
        request=RefundIn,
        responses={201: RefundCreatedOut},
    )
    def post(self, request: Request, order_id: int) -> Response:
        order = order_of_buyer(request.user, order_id)

        def compute() -> Response:
            data = RefundIn(data=request.data)
            data.is_valid(raise_exception=True)
            refund = services.refund_request(
                order=order,
                buyer=request.user,
                lines=[
                    services.LineAsk(line_id=line["line_id"], quantity=line["quantity"])
                    for line in data.validated_data["lines"]
                ],
                reason=data.validated_data["reason"],
            )
            return Response(RefundCreatedOut(refund).data, status=status.HTTP_201_CREATED)

        return idempotent(request, f"order-refund:{order.pk}", compute)


class MerchantRefundListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="My shop's refund requests", responses={200: RefundOut(many=True)})
    def get(self, request: Request) -> Response:
        shop = shop_required(request.user)
        refunds = selectors.refunds_of_merchant(shop, status=request.query_params.get("status"))
        paginator = PagePagination()
        page = paginator.paginate_queryset(refunds, request, self)
        return paginator.get_paginated_response(RefundOut(page, many=True).data)


class MerchantRefundApproveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Approve a refund request", request=None, responses={200: RefundOut})
    def post(self, request: Request, refund_id: int) -> Response:
        shop = shop_required(request.user)
        refund = selectors.refund_of_merchant(shop, refund_id)
        services.refund_approve(refund=refund, actor=request.user)
        return Response(RefundOut(selectors.refund_of_merchant(shop, refund_id)).data)


class MerchantRefundRejectView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Reject a refund request", request=None, responses={200: RefundOut})
    def post(self, request: Request, refund_id: int) -> Response:
        shop = shop_required(request.user)
        refund = selectors.refund_of_merchant(shop, refund_id)
        services.refund_reject(refund=refund, actor=request.user)
        return Response(RefundOut(selectors.refund_of_merchant(shop, refund_id)).data)
