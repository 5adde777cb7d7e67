"""API.md "Merchant console" order rows: the shop's orders (by status), one order, ship it.

Every route acts on the caller's own shop (403 `not_merchant_staff` without one); another shop's
order does not exist here (404).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PagePagination
from commerce.catalog.selectors import shop_required
from commerce.models import OrderStatus
from commerce.orders import lifecycle, selectors
from commerce.orders.api import OrderOut


class ShopOrderOut(OrderOut):
    buyer = serializers.SerializerMethodField()

    def get_buyer(self, order) -> dict:
        return {"id": order.buyer_id, "username": order.buyer.username}


class StatusFilterIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)


class ShipIn(serializers.Serializer):
    carrier = serializers.CharField(max_length=60)
    tracking_number = serializers.CharField(max_length=60)


class ShopOrderListView(APIView):
    @extend_schema(
        summary="My shop's orders, newest first",
        parameters=[OpenApiParameter("status", str, enum=OrderStatus.values)],
        responses={200: ShopOrderOut(many=True)},
    )
    def get(self, request: Request) -> Response:
        shop = shop_required(request.user)
        query = StatusFilterIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        orders = selectors.orders_of_shop(shop, status=query.validated_data.get("status"))
        paginator = PagePagination()
        page = paginator.paginate_queryset(orders, request, self)
        return paginator.get_paginated_response(ShopOrderOut(page, many=True).data)


class ShopOrderDetailView(APIView):
    @extend_schema(summary="One of my shop's orders", responses={200: ShopOrderOut})
    def get(self, request: Request, order_id: int) -> Response:
        shop = shop_required(request.user)
        return Response(ShopOrderOut(selectors.order_of_shop(shop, order_id)).data)


class ShopOrderShipView(APIView):
    @extend_schema(summary="Ship a paid order", request=ShipIn, responses={200: ShopOrderOut})
    def post(self, request: Request, order_id: int) -> Response:
        shop = shop_required(request.user)
        order = selectors.order_of_shop(shop, order_id)
        data = ShipIn(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.order_ship(order=order, actor=request.user, **data.validated_data)
        return Response(ShopOrderOut(selectors.order_of_shop(shop, order_id)).data)
