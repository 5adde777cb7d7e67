"""Orders API for buyers: list, detail, cancel while unpaid, confirm delivery."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PagePagination
from backend.money import MoneyField
from commerce.models import Order, OrderLine
from commerce.orders import lifecycle, selectors, services


class OrderLineOut(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.SerializerMethodField()
    product = serializers.SerializerMethodField()
    quantity = serializers.IntegerField()
    unit_price = MoneyField()
    discount = MoneyField()
    total = MoneyField(source="net_amount")
    refunded_quantity = serializers.IntegerField()

    def get_sku(self, line: OrderLine) -> dict:
        return {"id": line.sku_id, "name": line.sku_name}

    def get_product(self, line: OrderLine) -> dict:
        return {"id": line.product_id, "name": line.product_name}


class ShipmentOut(serializers.Serializer):
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    shipped_at = serializers.DateTimeField()


class OrderOut(serializers.Serializer):
    id = serializers.IntegerField()
    merchant = serializers.SerializerMethodField()
    status = serializers.CharField()
    lines = OrderLineOut(many=True)
    subtotal = MoneyField()
    discount = MoneyField()
    shipping = MoneyField()
    total = MoneyField()
    currency = serializers.CharField()
    payment_id = serializers.IntegerField()
    payment_status = serializers.CharField(source="payment.status")
    address = serializers.JSONField()
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField()
    cancelled_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField()
    shipment = serializers.SerializerMethodField()

    def get_merchant(self, order: Order) -> dict:
        return {"id": order.merchant_id, "name": order.merchant.name}

    @extend_schema_field(ShipmentOut(allow_null=True))
    def get_shipment(self, order: Order) -> dict | None:
        # Read through the select_related cache: a missing shipment costs no query.
        shipment = getattr(order, "shipment", None)
        return ShipmentOut(shipment).data if shipment else None


class CancelIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class OrderListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="My orders, newest first", responses={200: OrderOut(many=True)})
    def get(self, request: Request) -> Response:
        paginator = PagePagination()
        page = paginator.paginate_queryset(selectors.orders_of_buyer(request.user), request, self)
        return paginator.get_paginated_response(OrderOut(page, many=True).data)


class OrderDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="One of my orders", responses={200: OrderOut})
    def get(self, request: Request, order_id: int) -> Response:
        return Response(OrderOut(selectors.order_of_buyer(request.user, order_id)).data)


class OrderCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Cancel my unpaid order", request=CancelIn, responses={200: OrderOut})
    def post(self, request: Request, order_id: int) -> Response:
        data = CancelIn(data=request.data)
        data.is_valid(raise_exception=True)
        order = selectors.order_of_buyer(request.user, order_id)
        services.order_cancel(
            order=order,
            actor=request.user,
            reason=data.validated_data["reason"] or "Cancelled by the buyer.",
        )
        return Response(OrderOut(selectors.order_of_buyer(request.user, order_id)).data)


class OrderConfirmDeliveryView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Confirm my order arrived", request=None, responses={200: OrderOut})
    def post(self, request: Request, order_id: int) -> Response:
        order = selectors.order_of_buyer(request.user, order_id)
        lifecycle.order_confirm_delivery(order=order, actor=request.user)
        return Response(OrderOut(selectors.order_of_buyer(request.user, order_id)).data)
