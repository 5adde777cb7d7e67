"""The house URLs plus the baselines: same process, same middleware, same server."""

from django.urls import path

from backend.urls import handler400, handler403, handler404, handler500  # noqa: F401
from backend.urls import urlpatterns as house_urlpatterns
from bench import views

BARE_ME_PATH = "/bench/bare/me"
BARE_REDIRECT_PREFIX = "/bench/bare/s/"

urlpatterns = [
    path(BARE_ME_PATH.lstrip("/"), views.bare_me),
    path(BARE_REDIRECT_PREFIX.lstrip("/") + "<str:code>", views.bare_redirect),
    *house_urlpatterns,
]
