"""The feed's pages, named `feed:<name>`: the home cards, notifications, people."""

from django.urls import path

from feed.pages import discover, home, notifications, people, search

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
    path("search", search.search_page, name="search"),
    path("discover/", discover.discover, name="discover"),
    path("tags/<str:hashtag>", discover.hashtag, name="tag"),
    path("products/<int:product_id>/bought", discover.product_buyers, name="product_buyers"),
    path("settings/privacy", discover.privacy_settings, name="privacy"),
]
