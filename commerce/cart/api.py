"""Cart API: the signed-in user's one cart. Prices come from the SKUs, never from the client."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.money import MoneyField, currency
from commerce.cart import selectors, services
from commerce.cart.selectors import CartSummary
from commerce.models import CartLine


def product_image_url(product) -> str | None:
    images = list(product.images.all())
    return images[0].image.url if images else None


class CartLineOut(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.SerializerMethodField()
    product = serializers.SerializerMethodField()
    quantity = serializers.IntegerField()
    unit_price = MoneyField(source="sku.price")
    line_total = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()
    available = serializers.IntegerField(source="sku.available")
    for_sale = serializers.SerializerMethodField()

    def get_sku(self, line: CartLine) -> dict:
        return {"id": line.sku_id, "name": line.sku.name}

    def get_product(self, line: CartLine) -> dict:
        product = line.sku.product
        return {"id": product.pk, "name": product.name, "image": product_image_url(product)}

    def get_line_total(self, line: CartLine) -> str:
        return MoneyField().to_representation(line.sku.price * line.quantity)

    def get_currency(self, line: CartLine) -> str:
        return currency()

    def get_for_sale(self, line: CartLine) -> bool:
        return selectors.line_for_sale(line)


def cart_out(summary: CartSummary) -> dict:
    money = MoneyField()
    return {
        "lines": CartLineOut(summary.lines, many=True).data,
        "shops": [
            {
                "merchant": {"id": group.merchant.pk, "name": group.merchant.name},
                "line_ids": [line.pk for line in group.lines],
                "goods": money.to_representation(group.goods),
                "shipping": money.to_representation(group.shipping),
                "total": money.to_representation(group.total),
                "currency": currency(),
            }
            for group in summary.shops
        ],
        "subtotal": money.to_representation(summary.subtotal),
        "discount": money.to_representation(summary.discount),
        "shipping": money.to_representation(summary.shipping),
        "total": money.to_representation(summary.total),
        "currency": currency(),
    }


def _line_out(line: CartLine) -> dict:
    # Re-read with everything the output needs: the service returns a bare line.
    return CartLineOut(selectors.cart_line_detail(line.pk)).data


class CartItemIn(serializers.Serializer):
    sku_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, default=1)


class CartItemUpdateIn(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1)


class CartView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="My cart", responses={200: dict})
    def get(self, request: Request) -> Response:
        cart = selectors.cart_of_user(request.user)
        return Response(cart_out(selectors.cart_summarize(cart)))


class CartItemsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Add to my cart", request=CartItemIn, responses={201: CartLineOut})
    def post(self, request: Request) -> Response:
        data = CartItemIn(data=request.data)
        data.is_valid(raise_exception=True)
        cart = services.cart_get_or_create(user=request.user)
        line = services.cart_add(cart=cart, **data.validated_data)
        return Response(_line_out(line), status=201)


class CartItemView(APIView):
    permission_classes = [IsAuthenticated]

    def _cart(self, request: Request):
        return services.cart_get_or_create(user=request.user)

    @extend_schema(
        summary="Change a cart line's quantity",
        request=CartItemUpdateIn,
        responses={200: CartLineOut},
    )
    def patch(self, request: Request, line_id: int) -> Response:
        data = CartItemUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        line = services.cart_line_update(
            cart=self._cart(request), line_id=line_id, quantity=data.validated_data["quantity"]
        )
        return Response(_line_out(line))

    @extend_schema(summary="Remove a cart line", responses={204: None})
    def delete(self, request: Request, line_id: int) -> Response:
        services.cart_line_remove(cart=self._cart(request), line_id=line_id)
        return Response(status=204)
