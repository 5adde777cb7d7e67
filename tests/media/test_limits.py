"""Size limits: Content-Length before the body is read, while streaming, and pixel bombs."""

from __future__ import annotations

import io
import tracemalloc
from unittest import mock

import pytest
from django.http.multipartparser import MultiPartParser

from media.errors import TooLarge
from media.models import Media
from media.probe import probe
from tests.media import samples
from tests.media.conftest import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_caps(settings):
    settings.MEDIA_IMAGE_MAX_BYTES = 100_000
    settings.MEDIA_VIDEO_MAX_BYTES = 100_000


def test_declared_oversize_body_is_refused_before_it_is_parsed(post_file, media_root, small_caps):
    """A Content-Length over the cap gets 413 too_large without the multipart body being read."""
    with mock.patch.object(MultiPartParser, "parse", autospec=True) as parse:
        response = post_file(b"\xff\xd8\xff" + b"\x00" * 300_000)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    parse.assert_not_called()
    assert Media.objects.count() == 0
    assert stored_files(media_root) == []


def test_upload_is_stopped_while_streaming_past_the_cap(post_file, media_root, small_caps):
    """A body under the declared-length margin but a file over the cap is cut off mid-stream
    by the upload handler (the service never sees it): 413 and nothing stored."""
    with mock.patch("media.services.media_upload") as upload:
        response = post_file(b"\xff\xd8\xff" + b"\x00" * 120_000)

    assert response.status_code == 413
    assert response.json()["error"]["message"] == "The file is larger than 97 KB."
    upload.assert_not_called()
    assert stored_files(media_root) == []


def test_picture_over_the_image_byte_cap_is_too_large(post_file, media_root, settings):
    """Within the transport cap (video-sized) but over the image cap: 413 after sniffing."""
    settings.MEDIA_IMAGE_MAX_BYTES = 10 * 1024

    response = post_file(samples.jpeg(1500, 1500))

    assert response.status_code == 413
    assert response.json()["error"]["message"] == "The file is larger than 10 KB."
    assert Media.objects.count() == 0
    assert stored_files(media_root) == []


def test_pixel_bomb_is_refused_from_the_header_without_allocating_it():
    """A 50,000×50,000 PNG (7.5 GB of pixels) is refused with too_large while the allocation
    peak stays far below even one row of the picture's memory."""
    data = samples.png_bomb()
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge):
            probe(io.BytesIO(data), size=len(data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 2 * 1024 * 1024


def test_pixel_cap_setting_applies_below_pillows_own_limit(settings):
    """MEDIA_IMAGE_MAX_PIXELS refuses a picture Pillow itself would open."""
    settings.MEDIA_IMAGE_MAX_PIXELS = 1_000_000
    data = samples.png(1200, 1000)

    with pytest.raises(TooLarge) as error:
        probe(io.BytesIO(data), size=len(data))

    assert "1200×1000" in error.value.message
