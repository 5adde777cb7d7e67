"""Media tests store files under a fresh temporary directory and run tasks on commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Each test gets its own filesystem storage, so "nothing stored" can be checked."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": "/media/"},
        },
    }
    settings.API_THROTTLE = False
    return root


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def client_of(api_client):
    """An API client signed in as the given user."""

    def make(user):
        api_client.force_authenticate(user)
        return api_client

    return make


@pytest.fixture
def post_file(client_of, user, django_capture_on_commit_callbacks):
    """POST media as `user` with `data` under the multipart field `file`; tasks run on commit."""
    from tests.media.samples import upload

    def send(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg", **extra):
        client = client_of(user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/api/v1/media",
                {"file": upload(data, name, content_type)},
                format="multipart",
                **extra,
            )

    return send
