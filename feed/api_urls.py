"""The feed's API under /api/v1/ (API.md "Feeds, search, notifications")."""

from backend.api.urls import api_path
from feed.api.discover import DiscoverApi, HashtagFeedApi, PrivacyApi
from feed.api.home import HomeFeedApi
from feed.api.notifications import (
    NotificationsApi,
    NotificationSettingsApi,
    NotificationsReadApi,
)
from feed.api.people import SuggestionsApi
from feed.api.search import SearchApi

urlpatterns = [
    *api_path("feed/home", HomeFeedApi.as_view(), "api-feed-home"),
    *api_path("notifications", NotificationsApi.as_view(), "api-notifications"),
    *api_path("notifications/read", NotificationsReadApi.as_view(), "api-notifications-read"),
    *api_path(
        "notifications/settings", NotificationSettingsApi.as_view(), "api-notification-settings"
    ),
    *api_path("people/suggested", SuggestionsApi.as_view(), "api-people-suggested"),
    *api_path("search", SearchApi.as_view(), "api-search"),
    *api_path("feed/discover", DiscoverApi.as_view(), "api-feed-discover"),
    *api_path("feed/tags/<str:hashtag>", HashtagFeedApi.as_view(), "api-feed-hashtag"),
    *api_path("me/privacy", PrivacyApi.as_view(), "api-me-privacy"),
]
