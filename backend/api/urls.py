"""URL helpers for the API: every route answers with and without a trailing slash, no redirect."""

from django.urls import path


def api_path(route: str, view, name: str | None = None) -> list:
    route = route.strip("/")
    return [path(route, view, name=name), path(f"{route}/", view)]
