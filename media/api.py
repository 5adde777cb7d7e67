"""API.md "Media": `POST media` (multipart `file`) and `GET media/{id}`."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from backend.celery import app as celery_app
from backend.errors import NotFound
from media import selectors, services
from media.access import viewer_may_see
from media.errors import invalid_media
from media.probe import too_many_bytes
from media.uploads import SizeCapHandler, declared_too_large, upload_max_bytes


class UploadRate(ScopedRateThrottle):
    """Uploads per user (scope "media_upload"); off with API_THROTTLE=off like the others."""

    def allow_request(self, request, view):
        return not settings.API_THROTTLE or super().allow_request(request, view)


class MediaIn(serializers.Serializer):
    file = serializers.FileField()


class MediaOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["image", "video"])
    status = serializers.ChoiceField(choices=["processing", "ready", "failed"])
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    duration = serializers.FloatField(allow_null=True, help_text="Seconds, videos only.")
    placeholder = serializers.CharField()
    variants = serializers.DictField(child=serializers.URLField())


def _absolute(request, payload: dict) -> dict:
    payload["variants"] = {
        name: request.build_absolute_uri(url) if url.startswith("/") else url
        for name, url in payload["variants"].items()
    }
    return payload


class MediaUploadApi(APIView):
    parser_classes = [MultiPartParser]
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, UploadRate]
    throttle_scope = "media_upload"

    def initialize_request(self, request, *args, **kwargs):
        # Before anything reads the body (session auth's CSRF check reads POST).
        self.size_cap = SizeCapHandler(request, limit=upload_max_bytes())
        request.upload_handlers.insert(0, self.size_cap)
        return super().initialize_request(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        if declared_too_large(request.META):
            raise too_many_bytes(upload_max_bytes())
        super().initial(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": MediaIn}, responses={201: MediaOut})
    def post(self, request):
        upload = request.FILES.get("file")
        if self.size_cap.exceeded:
            raise too_many_bytes(upload_max_bytes())
        if upload is None:
            raise invalid_media("Send the file as the multipart field `file`.")
        media = services.media_upload(owner=request.user, upload=upload)
        if celery_app.conf.task_always_eager:
            # The processing ran when the upload committed: answer its outcome. With a worker
            # the row is as created, and a reload would only cost the request a query.
            media.refresh_from_db()
        payload = selectors.media_payloads([media])[media.pk]
        return Response(_absolute(request, payload), status=status.HTTP_201_CREATED)


class MediaDetailApi(APIView):
    @extend_schema(responses=MediaOut)
    def get(self, request, media_id: int):
        media = selectors.media_get(media_id=media_id)
        if media is None or not viewer_may_see(request.user, media):
            raise NotFound("No such media.")
        payload = selectors.media_payloads([media])[media.pk]
        return Response(_absolute(request, payload))
