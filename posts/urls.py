"""The posts pages and fragments."""

app_name = "posts"

urlpatterns: list = []
