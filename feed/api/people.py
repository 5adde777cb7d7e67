"""`GET people/suggested`: people the caller may want to follow, best first (feed.people)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from feed import people

PAGE_SIZE = 20
# Suggestions past the first hundred are no longer anyone's circle: the list stops there.
MAX_PAGES = 5


@extend_schema_field(serializers.URLField(allow_null=True))
class AvatarField(serializers.Field):
    """The user's picture as an absolute URL, or null."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, user) -> str | None:
        if not user.avatar:
            return None
        url = user.avatar.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request and url.startswith("/") else url


class SuggestedUserOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField(source="name")
    bio = serializers.CharField()
    avatar = AvatarField()
    followers_count = serializers.IntegerField()


class SuggestionOut(serializers.Serializer):
    user = SuggestedUserOut()
    reason = serializers.ChoiceField(
        choices=[people.Reason.PEOPLE_YOU_KNOW, people.Reason.LIKED_POSTS, people.Reason.POPULAR]
    )
    reason_text = serializers.CharField(source="text")
    mutual_count = serializers.IntegerField()


class SuggestionPageOut(serializers.Serializer):
    results = SuggestionOut(many=True)
    next = serializers.URLField(allow_null=True)


class SuggestionsApi(APIView):
    class PageIn(serializers.Serializer):
        page = serializers.IntegerField(min_value=1, max_value=MAX_PAGES, default=1)

    @extend_schema(parameters=[PageIn], responses=SuggestionPageOut)
    def get(self, request):
        query = self.PageIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = query.validated_data["page"]
        # One more than a page tells whether there is a next one.
        found = people.suggestions(request.user, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
        has_next = len(found) > PAGE_SIZE and page < MAX_PAGES
        next_url = None
        if has_next:
            next_url = request.build_absolute_uri(f"{request.path}?page={page + 1}")
        results = SuggestionOut(found[:PAGE_SIZE], many=True, context={"request": request}).data
        return Response({"results": results, "next": next_url})
