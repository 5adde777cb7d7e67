"""The media pages and fragments."""

app_name = "media"

urlpatterns: list = []
