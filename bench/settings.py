"""The house settings plus the bench's baseline views (bench/urls.py), for the bench server."""

from backend.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
