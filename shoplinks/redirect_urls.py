"""`/s/<code>` at the site's root, outside the `shoplinks` namespace of the pages: the shortest
address a share link can have."""

from django.urls import path

from shoplinks import views

urlpatterns = [
    path("s/<str:code>", views.share_redirect, name="shoplink_redirect"),
    # Some chat apps and hand-typed copies add a slash; same answer, no redirect.
    path("s/<str:code>/", views.share_redirect),
]
