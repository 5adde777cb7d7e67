from django.urls import path

from backend.accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("signin", views.signin, name="signin"),
    path("signout", views.signout, name="signout"),
    path("settings/profile", views.profile_edit, name="profile_edit"),
    path("settings/close-friends", views.close_friends, name="close_friends"),
    path("settings/blocked", views.blocked, name="blocked"),
    path("settings/delete-account", views.delete_account, name="delete_account"),
    path("u/<str:username>", views.profile, name="profile"),
    path("u/<str:username>/followers", views.followers, name="followers"),
    path("u/<str:username>/following", views.following, name="following"),
    *(
        path(
            f"u/<str:username>/{action.slug}",
            views.profile_action,
            {"action": action.slug},
            name=action.url_name,
        )
        for action in views.PROFILE_ACTIONS.values()
    ),
]
