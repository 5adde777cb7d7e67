"""Uploads from the web pages (session + CSRF) and the upload throttle."""

from __future__ import annotations

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from media.api import UploadRate
from media.models import Media
from tests.media import samples
from tests.media.conftest import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_client(user):
    """A browser-like client: session cookie and CSRF enforced, token sent in the header."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    return client, token


def test_session_upload_with_the_csrf_header_is_accepted(page_client):
    """The composer's XHR upload (session cookie, X-CSRFToken) creates the media."""
    client, token = page_client

    response = client.post(
        "/api/v1/media", {"file": samples.upload(samples.jpeg())}, headers={"X-CSRFToken": token}
    )

    assert response.status_code == 201, response.content
    assert Media.objects.count() == 1


def test_session_upload_without_csrf_is_refused(page_client, media_root):
    """Without the CSRF token the session upload is 403 and nothing is stored."""
    client, _ = page_client

    response = client.post("/api/v1/media", {"file": samples.upload(samples.jpeg())})

    assert response.status_code == 403
    assert stored_files(media_root) == []


def test_streaming_cap_applies_even_when_the_csrf_check_reads_the_body(
    page_client, settings, media_root
):
    """Session auth parses the body during its CSRF check, before the view: the size cap is
    in place by then, so the oversize file is still cut off (413)."""
    settings.MEDIA_IMAGE_MAX_BYTES = settings.MEDIA_VIDEO_MAX_BYTES = 100_000
    client, token = page_client

    response = client.post(
        "/api/v1/media",
        {"file": samples.upload(b"\xff\xd8\xff" + b"\x00" * 120_000)},
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 413
    assert stored_files(media_root) == []


def test_uploads_are_throttled_per_user(client_of, user, settings, monkeypatch):
    """Past the media_upload rate a user gets 429 throttled."""
    settings.API_THROTTLE = True
    monkeypatch.setattr(UploadRate, "THROTTLE_RATES", {"media_upload": "2/hour"})
    client = client_of(user)

    codes = [
        client.post(
            "/api/v1/media", {"file": samples.upload(samples.jpeg(64, 64))}, format="multipart"
        ).status_code
        for _ in range(3)
    ]

    assert codes == [201, 201, 429]
