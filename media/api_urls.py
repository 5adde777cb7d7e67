"""The media API under /api/v1/."""

urlpatterns: list = []
