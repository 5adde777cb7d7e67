"""Websocket routes. Apps' consumers are listed here by dotted path, so backend imports no app."""

from django.urls import path
from django.utils.module_loading import import_string

# (route, "app.consumers.Consumer").
WEBSOCKET_ROUTES: list[tuple[str, str]] = [
    ("ws/notifications/", "feed.consumers.NotificationsConsumer"),
]


def _route(route: str, dotted: str):
    return path(route, import_string(dotted).as_asgi())


websocket_urlpatterns = [_route(route, dotted) for route, dotted in WEBSOCKET_ROUTES]
