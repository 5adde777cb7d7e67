"""GET search (API.md "Feeds, search, notifications"): posts, products or people, best first.

Open to visitors (API.md names no sign-in for it): they find public content only. Results are
the shapes the rest of the API uses: `posts_json` posts, the product list's products, people as
`people/suggested` shows them plus whether the caller follows them.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from backend.money import MoneyField, currency
from feed import search
from feed.api.people import AvatarField
from posts.api.render import posts_json
from posts.api.serializers import PostOut
from posts.selectors.search import SORTS


class _MerchantRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProductResultOut(serializers.Serializer):
    """The product list's product (`GET products`)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    merchant = _MerchantRefOut()
    price = MoneyField(source="min_price", allow_null=True)
    currency = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()
    in_stock = serializers.BooleanField()

    def get_currency(self, _product) -> str:
        return currency()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image(self, product) -> str | None:
        if not product.first_image:
            return None
        url = default_storage.url(product.first_image)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request and url.startswith("/") else url


class UserResultOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField(source="name")
    bio = serializers.CharField()
    avatar = AvatarField()
    followers_count = serializers.IntegerField()
    # Whether the caller follows them; null for a visitor.
    following = serializers.SerializerMethodField()

    def get_following(self, user) -> bool | None:
        return getattr(user, "followed", None)


class SearchApi(APIView):
    permission_classes = [AllowAny]

    class QueryIn(serializers.Serializer):
        # Checked by feed.search (empty, too long): here only its presence and type.
        q = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
        type = serializers.ChoiceField(choices=search.KINDS, default="posts")
        sort = serializers.ChoiceField(choices=list(SORTS), default="best")
        page = serializers.IntegerField(min_value=1, max_value=search.MAX_PAGES, default=1)

    @extend_schema(
        parameters=[QueryIn],
        responses=inline_serializer(
            "SearchPage",
            {
                "results": PolymorphicProxySerializer(
                    component_name="SearchResult",
                    serializers=[PostOut, ProductResultOut, UserResultOut],
                    resource_type_field_name=None,
                    many=True,
                ),
                "next": serializers.URLField(allow_null=True),
            },
        ),
        description="`results` holds posts (PostOut), products (ProductResultOut) or people "
        "(UserResultOut) as `type` asks; `sort` orders posts only.",
    )
    def get(self, request):
        query = self.QueryIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        page = search.search(
            request.user,
            query=params.get("q", ""),
            kind=params["type"],
            sort=params["sort"],
            page=params["page"],
        )
        if page.kind == "posts":
            results = posts_json(page.items, request)
        elif page.kind == "products":
            results = ProductResultOut(page.items, many=True, context={"request": request}).data
        else:
            results = UserResultOut(page.items, many=True, context={"request": request}).data
        next_url = None
        if page.has_next:
            next_url = replace_query_param(request.build_absolute_uri(), "page", page.page + 1)
        return Response({"results": results, "next": next_url})
