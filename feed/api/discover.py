"""GET feed/discover and GET feed/tags/{hashtag} (API.md "Feeds"), and GET/PUT me/privacy (the
"friends who bought this" opt-out). Discover and hashtag feeds are open to visitors (public
posts only), as API.md marks no sign-in for them; privacy is the signed-in user's own."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from feed.discover import chips, privacy
from feed.discover.errors import UnknownCategory
from feed.discover.hashtags import hashtag_page
from feed.discover.ranking import discover_page
from feed.models import DiscoverEntry
from feed.timeline import HOME_PAGE_SIZE, MAX_PAGE_SIZE
from posts import selectors as posts
from posts.api.render import posts_json
from posts.api.serializers import PostOut


class PageIn(serializers.Serializer):
    cursor = serializers.CharField(required=False, allow_blank=True, max_length=200)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=HOME_PAGE_SIZE
    )


def _page(request, cards, next_cursor: str | None) -> dict:
    next_url = None
    if next_cursor:
        next_url = replace_query_param(request.build_absolute_uri(), "cursor", next_cursor)
    return {"results": posts_json(cards, request), "next": next_url}


PAGE_OUT = {"results": PostOut(many=True), "next": serializers.URLField(allow_null=True)}


class DiscoverApi(APIView):
    permission_classes = [AllowAny]

    class QueryIn(PageIn):
        category = serializers.CharField(required=False, max_length=70, default=DiscoverEntry.ALL)

    @extend_schema(parameters=[QueryIn], responses=inline_serializer("DiscoverPage", PAGE_OUT))
    def get(self, request):
        query = self.QueryIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        category = query.validated_data["category"] or DiscoverEntry.ALL
        if not chips.is_chip(category):
            raise UnknownCategory()
        page = discover_page(
            request.user,
            category=category,
            cursor=query.validated_data.get("cursor") or None,
            limit=query.validated_data["page_size"],
        )
        cards = posts.post_views(page.posts, viewer=request.user)
        return Response(_page(request, cards, page.next_cursor))


class HashtagFeedApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[PageIn], responses=inline_serializer("HashtagPage", PAGE_OUT))
    def get(self, request, hashtag: str):
        query = PageIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = hashtag_page(
            request.user,
            hashtag=hashtag,
            cursor=query.validated_data.get("cursor") or None,
            limit=query.validated_data["page_size"],
        )
        cards = posts.post_views(page.posts, viewer=request.user)
        return Response({"hashtag": page.hashtag, **_page(request, cards, page.next_cursor)})


class PrivacyApi(APIView):
    class PrivacyIn(serializers.Serializer):
        show_purchases = serializers.BooleanField()

    PrivacyOut = inline_serializer("Privacy", {"show_purchases": serializers.BooleanField()})

    @extend_schema(responses=PrivacyOut)
    def get(self, request):
        return Response({"show_purchases": privacy.shows_purchases(request.user)})

    @extend_schema(request=PrivacyIn, responses=PrivacyOut)
    def put(self, request):
        data = self.PrivacyIn(data=request.data)
        data.is_valid(raise_exception=True)
        show = privacy.set_shows_purchases(
            user=request.user, show=data.validated_data["show_purchases"]
        )
        return Response({"show_purchases": show})

    patch = put
