"""The feed's pages, named `feed:<name>`: the home cards, notifications, people."""

from django.urls import path

from feed.pages import home, notifications, people

app_name = "feed"

urlpatterns = [
    path("home/cards", home.home_cards, name="home_cards"),
    path("notifications/", notifications.notifications_page, name="notifications"),
    path(
        "settings/notifications",
        notifications.notification_settings,
        name="notification_settings",
    ),
    path("people/suggested", people.suggestions_page, name="suggestions"),
]
