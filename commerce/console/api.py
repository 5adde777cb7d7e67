"""API.md "Merchant console": a shop's staff manage its settings, staff, products and SKUs.

Every route acts on the caller's own shop (403 `not_merchant_staff` without one); another shop's
product or SKU does not exist here (404). Input serializers list exactly the writable fields, so
anything else sent (merchant, reserved, ids...) is ignored.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PagePagination
from backend.errors import InvalidInput, NotFound
from backend.money import MoneyField
from commerce.catalog import selectors, services
from commerce.catalog.api import (
    CategoryRefOut,
    CurrencyField,
    FirstImageField,
    ImageOut,
    absolute,
)
from commerce.models import Category

MAX_STOCK = 1_000_000

# --- Output -----------------------------------------------------------------------------------


class ShopOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    logo = serializers.SerializerMethodField()
    shipping_fee = MoneyField()
    free_shipping_threshold = MoneyField(allow_null=True)
    currency = CurrencyField()

    def get_logo(self, shop) -> str | None:
        return absolute(self.context.get("request"), shop.logo.url) if shop.logo else None


class StaffOut(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.display_name")
    role = serializers.CharField()


class ShopSkuOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price = MoneyField()
    currency = CurrencyField()
    on_hand = serializers.IntegerField()
    reserved = serializers.IntegerField()
    available = serializers.IntegerField()
    active = serializers.BooleanField()
    best_before = serializers.DateField(allow_null=True)
    harvest_date = serializers.DateField(allow_null=True)


class ShopProductOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    category = CategoryRefOut()
    active = serializers.BooleanField()
    commission_rate_bp = serializers.IntegerField(allow_null=True)
    price = MoneyField(source="min_price", allow_null=True)
    currency = CurrencyField()
    image = FirstImageField()
    in_stock = serializers.BooleanField()
    skus = ShopSkuOut(many=True, source="skus.all")
    created_at = serializers.DateTimeField()


def _product_out(request, merchant, product_id: int) -> dict:
    product = selectors.shop_product(merchant, product_id)
    data = ShopProductOut(product, context={"request": request}).data
    data["images"] = ImageOut(product.images.all(), many=True, context={"request": request}).data
    return data


# --- Input ------------------------------------------------------------------------------------


class SkuIn(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    price = MoneyField(allow_zero=False)
    stock = serializers.IntegerField(min_value=0, max_value=MAX_STOCK)
    best_before = serializers.DateField(required=False, allow_null=True)
    harvest_date = serializers.DateField(required=False, allow_null=True)


class CategoryIdField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Category.objects.all(), **kwargs)


# --- Shop and staff ---------------------------------------------------------------------------


class ShopApi(APIView):
    parser_classes = [MultiPartParser, FormParser, *APIView.parser_classes]

    @extend_schema_serializer(component_name="ShopInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=80, required=False)
        description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
        shipping_fee = MoneyField(required=False)
        free_shipping_threshold = MoneyField(required=False, allow_null=True)
        logo = serializers.FileField(required=False)

    @extend_schema(responses=ShopOut)
    def get(self, request):
        shop = selectors.shop_required(request.user)
        return Response(ShopOut(shop, context={"request": request}).data)

    @extend_schema(request=InputSerializer, responses=ShopOut)
    def patch(self, request):
        shop = selectors.shop_required(request.user)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        shop = services.merchant_update(merchant=shop, actor=request.user, **data.validated_data)
        return Response(ShopOut(shop, context={"request": request}).data)


class StaffApi(APIView):
    @extend_schema_serializer(component_name="StaffInput")
    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)

    def _user(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = get_user_model().objects.filter(username=data.validated_data["username"]).first()
        if user is None:
            raise NotFound("No such user.")
        return user

    @extend_schema(responses=StaffOut(many=True))
    def get(self, request):
        shop = selectors.shop_required(request.user)
        return Response({"results": StaffOut(selectors.shop_staff(shop), many=True).data})

    @extend_schema(request=InputSerializer, responses={201: StaffOut})
    def post(self, request):
        shop = selectors.shop_required(request.user)
        member = services.merchant_staff_add(
            merchant=shop, actor=request.user, user=self._user(request)
        )
        return Response(StaffOut(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InputSerializer, responses={204: None})
    def delete(self, request):
        shop = selectors.shop_required(request.user)
        services.merchant_staff_remove(merchant=shop, actor=request.user, user=self._user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Products and SKUs ------------------------------------------------------------------------


class ShopProductListApi(APIView):
    @extend_schema_serializer(component_name="ShopProductListInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=120)
        description = serializers.CharField(max_length=5000, allow_blank=True, default="")
        category_id = CategoryIdField()
        # Ids of pictures uploaded through `POST media`, in gallery order.
        images = serializers.ListField(
            child=serializers.IntegerField(min_value=1), required=False, default=list
        )
        commission_rate_bp = serializers.IntegerField(required=False, allow_null=True)
        skus = SkuIn(many=True, allow_empty=False, max_length=50)

    @extend_schema(responses=ShopProductOut(many=True))
    def get(self, request):
        shop = selectors.shop_required(request.user)
        paginator = PagePagination()
        page = paginator.paginate_queryset(selectors.shop_products(shop), request, view=self)
        data = ShopProductOut(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=InputSerializer, responses={201: ShopProductOut})
    def post(self, request):
        shop = selectors.shop_required(request.user)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        product = services.product_create(
            merchant=shop,
            actor=request.user,
            name=values["name"],
            description=values["description"],
            category=values["category_id"],
            commission_rate_bp=values.get("commission_rate_bp"),
            skus=[services.SkuInput(**sku) for sku in values["skus"]],
            image_media_ids=values["images"],
        )
        return Response(_product_out(request, shop, product.pk), status=status.HTTP_201_CREATED)


class ShopProductApi(APIView):
    @extend_schema_serializer(component_name="ShopProductInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=120, required=False)
        description = serializers.CharField(max_length=5000, allow_blank=True, required=False)
        category_id = CategoryIdField(required=False, source="category")
        active = serializers.BooleanField(required=False)
        commission_rate_bp = serializers.IntegerField(required=False, allow_null=True)

    @extend_schema(responses=ShopProductOut)
    def get(self, request, product_id: int):
        shop = selectors.shop_required(request.user)
        return Response(_product_out(request, shop, product_id))

    @extend_schema(request=InputSerializer, responses=ShopProductOut)
    def patch(self, request, product_id: int):
        shop = selectors.shop_required(request.user)
        product = selectors.shop_product(shop, product_id)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.product_update(product=product, actor=request.user, **data.validated_data)
        return Response(_product_out(request, shop, product_id))


class ShopProductSkusApi(APIView):
    @extend_schema(request=SkuIn, responses={201: ShopSkuOut})
    def post(self, request, product_id: int):
        shop = selectors.shop_required(request.user)
        product = selectors.shop_product(shop, product_id)
        data = SkuIn(data=request.data)
        data.is_valid(raise_exception=True)
        sku = services.sku_add(
            product=product, actor=request.user, sku=services.SkuInput(**data.validated_data)
        )
        return Response(ShopSkuOut(sku).data, status=status.HTTP_201_CREATED)


class ShopProductImagesApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="ShopProductImagesInput")
    class InputSerializer(serializers.Serializer):
        image = serializers.FileField()

    @extend_schema(request=InputSerializer, responses={201: ImageOut})
    def post(self, request, product_id: int):
        shop = selectors.shop_required(request.user)
        product = selectors.shop_product(shop, product_id)
        upload = request.FILES.get("image")
        if upload is None:
            raise InvalidInput("Attach the picture as `image`.", fields={"image": ["Required."]})
        image = services.product_image_add(product=product, actor=request.user, upload=upload)
        return Response(
            ImageOut(image, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class ShopSkuApi(APIView):
    @extend_schema_serializer(component_name="ShopSkuInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=80, required=False)
        price = MoneyField(allow_zero=False, required=False)
        stock = serializers.IntegerField(min_value=0, max_value=MAX_STOCK, required=False)
        active = serializers.BooleanField(required=False)
        best_before = serializers.DateField(required=False, allow_null=True)
        harvest_date = serializers.DateField(required=False, allow_null=True)

    @extend_schema(request=InputSerializer, responses=ShopSkuOut)
    def patch(self, request, sku_id: int):
        shop = selectors.shop_required(request.user)
        sku = selectors.shop_sku(shop, sku_id)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        sku = services.sku_update(sku=sku, actor=request.user, **data.validated_data)
        return Response(ShopSkuOut(sku).data)
