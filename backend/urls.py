"""Root URLs. Apps are included by dotted path so that backend imports none of them."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api_v1 = [
    path("", include("backend.accounts.api_urls")),
    path("", include("commerce.api_urls")),
    path("", include("media.api_urls")),
    path("", include("posts.api_urls")),
    path("", include("shoplinks.api_urls")),
    path("", include("rewards.api_urls")),
    path("", include("feed.api_urls")),
]

urlpatterns = [
    # First: the hottest public route (every tap on a share link) resolves without trying the
    # others; nothing else starts with "s/".
    path("", include("shoplinks.redirect_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include("backend.web.urls")),
    path("", include("backend.accounts.urls")),
    path("", include("commerce.urls")),
    path("", include("media.urls")),
    # Uploaded files, in every mode: media decides what may be served, and to whom.
    path(settings.MEDIA_URL.lstrip("/"), include("media.files_urls")),
    path("", include("posts.urls")),
    path("", include("shoplinks.urls")),
    path("", include("rewards.urls")),
    path("", include("feed.urls")),
]

handler400 = "backend.web.views.bad_request"
handler403 = "backend.web.views.permission_denied"
handler404 = "backend.web.views.page_not_found"
handler500 = "backend.web.views.server_error"
