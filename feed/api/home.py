"""GET feed/home (API.md "Feeds"): the viewer's home timeline, newest first, by opaque cursor."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from feed.timeline import HOME_PAGE_SIZE, MAX_PAGE_SIZE, home_cards
from posts.api.render import posts_json
from posts.api.serializers import PostOut


class HomeFeedApi(APIView):
    class QueryIn(serializers.Serializer):
        cursor = serializers.CharField(required=False, allow_blank=True, max_length=200)
        page_size = serializers.IntegerField(
            required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=HOME_PAGE_SIZE
        )

    @extend_schema(
        parameters=[QueryIn],
        responses=inline_serializer(
            "HomeFeedPage",
            {"results": PostOut(many=True), "next": serializers.URLField(allow_null=True)},
        ),
    )
    def get(self, request):
        query = self.QueryIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = home_cards(
            request.user,
            cursor=query.validated_data.get("cursor") or None,
            limit=query.validated_data["page_size"],
        )
        next_url = None
        if page.next_cursor:
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
        return Response({"results": posts_json(page.cards, request), "next": next_url})
