"""The media API under /api/v1/."""

from backend.api.urls import api_path
from media import api

urlpatterns = [
    *api_path("media", api.MediaUploadApi.as_view(), name="api-media-upload"),
    *api_path("media/<int:media_id>", api.MediaDetailApi.as_view(), name="api-media-detail"),
]
