"""The posts pages and fragments."""

from django.urls import path

from posts.views import compose, detail, grids

app_name = "posts"

urlpatterns = [
    path("compose/", compose.compose, name="compose"),
    path("p/<int:post_id>/", detail.detail, name="detail"),
    path("p/<int:post_id>/edit/", compose.edit, name="edit"),
    path("p/<int:post_id>/delete/", compose.delete, name="delete"),
    path("p/<int:post_id>/media/", detail.media, name="media"),
    path("p/<int:post_id>/like/", detail.like, name="like"),
    path("p/<int:post_id>/save/", detail.save, name="save"),
    path("p/<int:post_id>/comments/", detail.comments, name="comments"),
    path(
        "p/<int:post_id>/comments/<int:comment_id>/delete/",
        detail.comment_delete,
        name="comment_delete",
    ),
    path("p/<int:post_id>/report/", detail.report, name="report"),
    path("u/<str:username>/posts/", grids.profile_grid, name="profile_grid"),
    path("me/saved/", grids.saved, name="saved"),
    path("me/collections/<int:collection_id>/", grids.collection, name="collection"),
    path("me/drafts/", grids.drafts, name="drafts"),
    path("products/<int:product_id>/posts/", grids.product_posts, name="product_posts"),
]
