"""MEDIA_URL's files, mounted by backend/urls.py in every mode (media.views.serve decides)."""

from django.urls import path

from media import views

urlpatterns = [path("<path:name>", views.serve, name="media-file")]
