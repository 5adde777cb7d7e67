"""The posts API under /api/v1/ (API.md "Posts", plus `products/{id}/posts` and extensions)."""

from backend.api.urls import api_path
from posts.api import views

urlpatterns = [
    *api_path("posts", views.PostsApi.as_view(), "api-posts"),
    *api_path("posts/<int:post_id>", views.PostApi.as_view(), "api-post"),
    *api_path("posts/<int:post_id>/like", views.LikeApi.as_view(), "api-post-like"),
    *api_path("posts/<int:post_id>/save", views.SaveApi.as_view(), "api-post-save"),
    *api_path("posts/<int:post_id>/comments", views.CommentsApi.as_view(), "api-post-comments"),
    *api_path(
        "posts/<int:post_id>/comments/<int:comment_id>",
        views.CommentApi.as_view(),
        "api-post-comment",
    ),
    *api_path("posts/<int:post_id>/report", views.ReportApi.as_view(), "api-post-report"),
    *api_path("users/<str:username>/posts", views.UserPostsApi.as_view(), "api-user-posts"),
    *api_path(
        "products/<int:product_id>/posts", views.ProductPostsApi.as_view(), "api-product-posts"
    ),
    *api_path("me/saved", views.SavedApi.as_view(), "api-saved"),
    *api_path("me/collections", views.CollectionsApi.as_view(), "api-collections"),
    *api_path("me/drafts", views.DraftsApi.as_view(), "api-drafts"),
]
