from backend.accounts import api
from backend.api.urls import api_path

urlpatterns = [
    *api_path("auth/register", api.RegisterApi.as_view(), "api-register"),
    *api_path("auth/token", api.TokenApi.as_view(), "api-token"),
    *api_path("me", api.MeApi.as_view(), "api-me"),
    *api_path("me/close-friends", api.CloseFriendsApi.as_view(), "api-close-friends"),
    *api_path("me/close-friends/<str:username>", api.CloseFriendApi.as_view(), "api-close-friend"),
    *api_path("me/blocks", api.BlocksApi.as_view(), "api-blocks"),
    *api_path("me/mutes", api.MutesApi.as_view(), "api-mutes"),
    *api_path("users/<str:username>", api.UserApi.as_view(), "api-user"),
    *api_path("users/<str:username>/follow", api.FollowApi.as_view(), "api-follow"),
    *api_path("users/<str:username>/block", api.BlockApi.as_view(), "api-block"),
    *api_path("users/<str:username>/mute", api.MuteApi.as_view(), "api-mute"),
    *api_path("users/<str:username>/followers", api.FollowersApi.as_view(), "api-followers"),
    *api_path("users/<str:username>/following", api.FollowingApi.as_view(), "api-following"),
]
