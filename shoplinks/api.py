"""API.md "Shop links and attribution": `POST shoplinks` and `GET shoplinks` (my links)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PagePagination
from backend.money import currency, format_amount
from commerce.catalog import selectors as catalog
from shoplinks import selectors, services
from shoplinks.models import ShareLink


class LinkIn(serializers.Serializer):
    product_id = serializers.IntegerField(min_value=1)
    post_id = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class LinkOut(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.URLField()
    product_id = serializers.IntegerField()
    post_id = serializers.IntegerField(allow_null=True)


class ProductRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price = serializers.CharField(allow_null=True, help_text='Lowest active price, e.g. "12.50".')
    currency = serializers.CharField()
    image = serializers.URLField(allow_null=True)


class PostRefOut(serializers.Serializer):
    id = serializers.IntegerField()


class MyLinkOut(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.URLField()
    product = ProductRefOut()
    post = PostRefOut(allow_null=True)
    clicks = serializers.IntegerField(help_text="Counted taps: bots, repeats and floods excluded.")
    orders = serializers.IntegerField(help_text="Orders with a line credited to this link.")
    created_at = serializers.DateTimeField()


def _link_out(request, link: ShareLink) -> dict:
    return {
        "code": link.code,
        "url": services.link_url(link, request),
        "product_id": link.product_id,
        "post_id": link.post_id,
    }


def _product_out(request, product) -> dict:
    image = default_storage.url(product.first_image) if product.first_image else None
    if image and image.startswith("/"):
        image = request.build_absolute_uri(image)
    return {
        "id": product.pk,
        "name": product.name,
        "price": format_amount(product.min_price) if product.min_price is not None else None,
        "currency": currency(),
        "image": image,
    }


def _my_links_out(request, links: list[ShareLink]) -> list[dict]:
    """A page of links; their products' prices and pictures in one batch (one query)."""
    products = catalog.products_by_ids([link.product_id for link in links])
    return [
        {
            "code": link.code,
            "url": services.link_url(link, request),
            "product": _product_out(request, products[link.product_id]),
            "post": {"id": link.post_id} if link.post_id else None,
            "clicks": link.click_count,
            "orders": link.order_count,
            "created_at": link.created_at,
        }
        for link in links
    ]


class ShareLinksApi(APIView):
    @extend_schema(request=LinkIn, responses={200: LinkOut, 201: LinkOut})
    def post(self, request):
        data = LinkIn(data=request.data)
        data.is_valid(raise_exception=True)
        link, created = services.link_get_or_create(sharer=request.user, **data.validated_data)
        return Response(
            LinkOut(_link_out(request, link)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses=MyLinkOut(many=True))
    def get(self, request):
        paginator = PagePagination()
        page = paginator.paginate_queryset(selectors.links_of(sharer=request.user), request, self)
        return paginator.get_paginated_response(
            MyLinkOut(_my_links_out(request, page), many=True).data
        )
