"""ASGI entry: HTTP to Django, websockets to the apps' consumers (Channels)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

# Django must be set up before anything imports models (consumers, auth middleware).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from backend.realtime.auth import TokenOrSessionAuthMiddlewareStack  # noqa: E402
from backend.realtime.routing import websocket_urlpatterns  # noqa: E402
from backend.scheduler import start_in_process_scheduler  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            TokenOrSessionAuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# `make run` serves everything from this one process, periodic jobs included. Started here, by
# the server importing its application, and not in an AppConfig, which every management command
# (migrate, shell, a Celery worker) would run too.
if settings.INPROCESS_SCHEDULER:
    start_in_process_scheduler()
