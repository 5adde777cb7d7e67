"""API.md "Feeds, search, notifications": the grouped list, marking read, and the kinds a user
gets. Only ever the signed-in user's own."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from feed.notifications import selectors, services


class PersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    avatar = serializers.CharField(allow_null=True)


class TargetOut(serializers.Serializer):
    type = serializers.ChoiceField(choices=["post", "order", "user", "commission"])
    id = serializers.IntegerField()
    url = serializers.CharField(allow_null=True, help_text="The page the line links to.")


class NotificationOut(serializers.Serializer):
    id = serializers.IntegerField(
        help_text="The group's newest row; what notifications/read takes."
    )
    kind = serializers.CharField()
    actor = PersonOut(allow_null=True)
    actors = PersonOut(many=True, help_text="Up to 3 people, newest first.")
    count = serializers.IntegerField(help_text="Distinct people in the group (or its rows).")
    target = TargetOut()
    text = serializers.CharField(help_text='e.g. "Ana and 3 others liked your post".')
    created_at = serializers.DateTimeField()
    read = serializers.BooleanField()


class NotificationsApi(APIView):
    class QueryIn(serializers.Serializer):
        cursor = serializers.CharField(required=False, allow_blank=True, max_length=40)
        page_size = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=selectors.MAX_PAGE_SIZE,
            default=selectors.PAGE_SIZE,
        )

    @extend_schema(
        parameters=[QueryIn],
        responses=inline_serializer(
            "NotificationPage",
            {
                "results": NotificationOut(many=True),
                "next": serializers.URLField(allow_null=True),
            },
        ),
    )
    def get(self, request):
        query = self.QueryIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = selectors.group_page(
            request.user,
            cursor=query.validated_data.get("cursor") or None,
            limit=query.validated_data["page_size"],
        )
        next_url = None
        if page.next_cursor:
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
        results = [selectors.group_payload(group, request.user) for group in page.groups]
        return Response({"results": results, "next": next_url})


class NotificationsReadApi(APIView):
    class ReadIn(serializers.Serializer):
        ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
            required=False,
            max_length=500,
            help_text="Ids of groups to mark read; leave out to mark everything read.",
        )

    @extend_schema(
        request=ReadIn,
        responses=inline_serializer("NotificationsRead", {"unread": serializers.IntegerField()}),
    )
    def post(self, request):
        data = self.ReadIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.notifications_mark_read(
            user=request.user, group_ids=data.validated_data.get("ids")
        )
        return Response({"unread": selectors.unread_count(request.user)})


class KindSettingOut(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    enabled = serializers.BooleanField()


class KindChoiceIn(serializers.Serializer):
    # Checked by the service, so an unknown kind gets its own code (unknown_kind).
    kind = serializers.CharField(max_length=40)
    enabled = serializers.BooleanField()


class NotificationSettingsApi(APIView):
    class SettingsIn(serializers.Serializer):
        kind = serializers.CharField(max_length=40, required=False)
        enabled = serializers.BooleanField(required=False)
        kinds = KindChoiceIn(many=True, required=False)

        def validate(self, attrs):
            one = "kind" in attrs or "enabled" in attrs
            if one == ("kinds" in attrs):
                raise serializers.ValidationError(
                    'Send {"kind": ..., "enabled": true/false} or {"kinds": [...]}.'
                )
            if one and not ("kind" in attrs and "enabled" in attrs):
                raise serializers.ValidationError('Send both "kind" and "enabled".')
            return attrs

    def _answer(self, request):
        rows = selectors.kind_settings(request.user)
        return Response({"kinds": KindSettingOut(rows, many=True).data})

    @extend_schema(
        responses=inline_serializer("NotificationSettings", {"kinds": KindSettingOut(many=True)})
    )
    def get(self, request):
        return self._answer(request)

    @extend_schema(
        request=SettingsIn,
        responses=inline_serializer(
            "NotificationSettingsSaved", {"kinds": KindSettingOut(many=True)}
        ),
    )
    def put(self, request):
        data = self.SettingsIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "kinds" in values:
            choices = [(row["kind"], row["enabled"]) for row in values["kinds"]]
        else:
            choices = [(values["kind"], values["enabled"])]
        services.notification_kinds_set(user=request.user, choices=choices)
        return self._answer(request)
