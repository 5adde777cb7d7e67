"""API.md "Catalog" rows and `POST merchants`: thin views over the catalog's services/selectors."""

from __future__ import annotations

from django.core.files.storage import default_storage
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PagePagination
from backend.money import MoneyField, currency
from commerce.catalog import selectors, services


def absolute(request, url: str | None) -> str | None:
    if not url:
        return None
    return request.build_absolute_uri(url) if request and url.startswith("/") else url


@extend_schema_field(serializers.URLField(allow_null=True))
class FirstImageField(serializers.Field):
    """The product's first picture (annotated as `first_image`, a storage name) as a URL."""

    def __init__(self, **kwargs):
        super().__init__(source="first_image", read_only=True, **kwargs)

    def to_representation(self, name: str | None) -> str | None:
        return absolute(self.context.get("request"), default_storage.url(name) if name else None)


@extend_schema_field(OpenApiTypes.STR)
class CurrencyField(serializers.ReadOnlyField):
    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, _value) -> str:
        return currency()


# --- Output -----------------------------------------------------------------------------------


class MerchantRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class CategoryRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class CategoryOut(CategoryRefOut):
    children = serializers.SerializerMethodField()

    def get_children(self, node) -> list[dict]:
        return CategoryOut(node.children, many=True).data


class ProductListOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    merchant = MerchantRefOut()
    price = MoneyField(source="min_price", allow_null=True)
    currency = CurrencyField()
    image = FirstImageField()
    in_stock = serializers.BooleanField()


class ImageOut(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()

    def get_url(self, image) -> str:
        return absolute(self.context.get("request"), image.image.url)


class SkuOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price = MoneyField()
    currency = CurrencyField()
    available = serializers.SerializerMethodField()
    best_before = serializers.DateField(allow_null=True)
    harvest_date = serializers.DateField(allow_null=True)

    def get_available(self, sku) -> int:
        return max(sku.available, 0)


class ProductDetailOut(ProductListOut):
    description = serializers.CharField()
    category = CategoryRefOut()
    commission_rate_bp = serializers.IntegerField(allow_null=True)
    images = ImageOut(many=True, source="images.all")
    skus = SkuOut(many=True, source="active_skus")


class MerchantOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


# --- Views ------------------------------------------------------------------------------------


class CategoryTreeApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=CategoryOut(many=True))
    def get(self, request):
        return Response(CategoryOut(selectors.category_tree(), many=True).data)


class ProductListApi(APIView):
    permission_classes = [AllowAny]

    class FilterIn(serializers.Serializer):
        category = serializers.CharField(required=False, max_length=70)
        merchant = serializers.CharField(required=False, max_length=90)
        q = serializers.CharField(required=False, max_length=100)
        ordering = serializers.ChoiceField(choices=list(selectors.ORDERINGS), required=False)
        in_stock = serializers.BooleanField(required=False, default=False)

    @extend_schema(parameters=[FilterIn], responses=ProductListOut(many=True))
    def get(self, request):
        filters = self.FilterIn(data=request.query_params)
        filters.is_valid(raise_exception=True)
        products = selectors.product_list(**filters.validated_data)
        paginator = PagePagination()
        page = paginator.paginate_queryset(products, request, view=self)
        data = ProductListOut(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class ProductDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ProductDetailOut)
    def get(self, request, product_id: int):
        product = selectors.product_for_public(product_id)
        return Response(ProductDetailOut(product, context={"request": request}).data)


class MerchantCreateApi(APIView):
    @extend_schema_serializer(component_name="MerchantCreateInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=80)
        description = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: MerchantOut})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        merchant = services.merchant_create(owner=request.user, **data.validated_data)
        return Response(MerchantOut(merchant).data, status=status.HTTP_201_CREATED)
