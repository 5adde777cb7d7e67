"""A test-only URLconf: the real routes plus tiny API views that exercise each convention.

Used with `@pytest.mark.urls("tests.backend.api_conventions_urls")`, so the convention tests need
no other part's endpoints. The error handlers are the real ones.
"""

from django.contrib.auth import get_user_model
from django.urls import include, path
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from backend import urls as real_urls
from backend.api.throttles import AnonRate
from backend.api.urls import api_path
from backend.errors import NotAllowed

PREFIX = "/api/v1/_conventions/"
TIGHT_RATE_PER_MINUTE = 3


class TightAnonRate(AnonRate):
    rate = f"{TIGHT_RATE_PER_MINUTE}/min"


class ProtectedApi(APIView):
    def get(self, request):
        return Response({"ok": True})


class EchoIn(serializers.Serializer):
    name = serializers.CharField(max_length=20)
    quantity = serializers.IntegerField(min_value=1)


class EchoApi(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        data = EchoIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(data.validated_data, status=201)


class ForbiddenApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise NotAllowed()


class BoomApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("secret internals: password=hunter2")


def plain_boom(request):
    raise RuntimeError("secret internals outside DRF")


class TightlyThrottledApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [TightAnonRate]

    def get(self, request):
        return Response({"ok": True})


class DefaultThrottledApi(APIView):
    """Throttled by whatever the settings' DEFAULT_THROTTLE_CLASSES say."""

    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


class UserOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class UsersApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = UserOut

    def get_queryset(self):
        return get_user_model().objects.order_by("pk")


conventions = [
    *api_path("protected", ProtectedApi.as_view(), "conv-protected"),
    *api_path("echo", EchoApi.as_view(), "conv-echo"),
    *api_path("forbidden", ForbiddenApi.as_view(), "conv-forbidden"),
    *api_path("boom", BoomApi.as_view(), "conv-boom"),
    *api_path("plain-boom", plain_boom, "conv-plain-boom"),
    *api_path("tight", TightlyThrottledApi.as_view(), "conv-tight"),
    *api_path("default-throttle", DefaultThrottledApi.as_view(), "conv-default-throttle"),
    *api_path("users", UsersApi.as_view(), "conv-users"),
]

urlpatterns = [path(PREFIX.lstrip("/"), include(conventions)), *real_urls.urlpatterns]

handler400 = real_urls.handler400
handler403 = real_urls.handler403
handler404 = real_urls.handler404
handler500 = real_urls.handler500
