"""The feed's API under /api/v1/ (API.md "Feeds, search, notifications")."""

from backend.api.urls import api_path
from feed.api.home import HomeFeedApi
from feed.api.notifications import (
    NotificationsApi,
    NotificationSettingsApi,
    NotificationsReadApi,
)
from feed.api.people import SuggestionsApi

urlpatterns = [
    *api_path("feed/home", HomeFeedApi.as_view(), "api-feed-home"),
    *api_path("notifications", NotificationsApi.as_view(), "api-notifications"),
    *api_path("notifications/read", NotificationsReadApi.as_view(), "api-notifications-read"),
    *api_path(
        "notifications/settings", NotificationSettingsApi.as_view(), "api-notification-settings"
    ),
    *api_path("people/suggested", SuggestionsApi.as_view(), "api-people-suggested"),
]
