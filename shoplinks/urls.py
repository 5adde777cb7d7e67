"""The share links' pages (share sheet, my links), named `shoplinks:<name>`; `/s/<code>` is in
redirect_urls.py, the API in api_urls.py."""

from django.urls import path

from shoplinks.pages import mine, share

app_name = "shoplinks"

urlpatterns = [
    path("share/products/<int:product_id>/", share.share_button, name="share_button"),
    path("share/posts/<int:post_id>/", share.post_share, name="post_share"),
    path("me/links/", mine.my_links, name="my_links"),
    path("me/links/<str:code>/qr.svg", mine.qr, name="qr"),
]
