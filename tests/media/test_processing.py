"""media_process: upright, metadata-free WebP variants, posters and remuxed videos."""

from __future__ import annotations

import io
import tempfile

import av
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from media.models import Media
from media.processing.images import variant_widths
from media.services import media_process, media_upload
from tests.media import samples
from tests.media.conftest import stored_files

pytestmark = pytest.mark.django_db


def uploaded(user, data: bytes, capture) -> Media:
    with capture(execute=True):
        media = media_upload(owner=user, upload=samples.upload(data))
    media.refresh_from_db()
    return media


def variant_image(media: Media, name: str) -> Image.Image:
    with default_storage.open(media.variants[name], "rb") as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
    return image


def test_gps_and_camera_exif_are_in_no_variant(user, django_capture_on_commit_callbacks):
    """A photo with GPS and camera EXIF gives WebP variants with no EXIF, XMP or ICC at all."""
    original = samples.jpeg_gps()
    with Image.open(io.BytesIO(original)) as source:
        assert source.getexif().get_ifd(samples.GPS_IFD)
        assert source.info["icc_profile"]

    media = uploaded(user, original, django_capture_on_commit_callbacks)

    assert media.status == Media.Status.READY
    for name in media.variants:
        image = variant_image(media, name)
        assert image.format == "WEBP"
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile"} & set(image.info)
        with default_storage.open(media.variants[name], "rb") as file:
            raw = file.read()
        assert b"EXIF" not in raw
        assert b"PhoneMaker" not in raw


def test_orientation_6_gives_upright_variants(user, django_capture_on_commit_callbacks):
    """EXIF orientation 6 is applied: the row and every variant are portrait, and the red
    corner stored top-left is shown top-right."""
    media = uploaded(user, samples.jpeg_rotated(), django_capture_on_commit_callbacks)

    assert (media.width, media.height) == (600, 1200)
    assert set(media.variants) == {"320", "600"}
    for name in media.variants:
        image = variant_image(media, name).convert("RGB")
        assert image.width == int(name)
        assert image.height == image.width * 2
        red, _, blue = image.getpixel((image.width - 5, 5))
        assert red > 200
        assert blue < 60
        red, _, blue = image.getpixel((5, 5))
        assert blue > 200
        assert red < 60


def test_source_is_deleted_and_placeholder_is_the_dominant_colour(
    user, django_capture_on_commit_callbacks, media_root
):
    """Once ready, only the variants remain in storage, and the placeholder is "#rrggbb"."""
    media = uploaded(user, samples.jpeg(colour=(200, 60, 40)), django_capture_on_commit_callbacks)

    assert sorted(stored_files(media_root)) == sorted(media.variants.values())
    assert media.placeholder.startswith("#")
    assert len(media.placeholder) == 7
    red, green, blue = (int(media.placeholder[i : i + 2], 16) for i in (1, 3, 5))
    assert abs(red - 200) < 8
    assert abs(green - 60) < 8
    assert abs(blue - 40) < 8


def test_processing_twice_changes_nothing(user, django_capture_on_commit_callbacks, media_root):
    """media_process on a ready row returns it untouched and writes no file."""
    media = uploaded(user, samples.jpeg(), django_capture_on_commit_callbacks)
    files = stored_files(media_root)

    again = media_process(media_id=media.pk)

    assert again.variants == media.variants
    assert stored_files(media_root) == files


def test_undecodable_source_fails_with_a_reason(user, django_capture_on_commit_callbacks):
    """A source that breaks after upload marks the row failed with a human reason, no raise,
    and its files are gone."""
    with django_capture_on_commit_callbacks(execute=False):
        media = media_upload(owner=user, upload=samples.upload(samples.jpeg()))
    with default_storage.open(media.source.name, "wb") as file:
        file.write(b"\xff\xd8\xff" + b"\x00" * 50)

    with django_capture_on_commit_callbacks(execute=True):
        result = media_process(media_id=media.pk)

    assert result.status == Media.Status.FAILED
    assert result.failure_reason == "The picture could not be read."
    assert result.variants == {}
    assert not default_storage.exists(media.source.name)


def test_variant_widths_follow_the_picture():
    """Widths wider than the picture are skipped; its own width (capped) is added."""
    assert variant_widths(4000, [320, 640, 1080]) == [320, 640, 1080]
    assert variant_widths(800, [320, 640, 1080]) == [320, 640, 800]
    assert variant_widths(200, [320, 640, 1080]) == [200]
    assert variant_widths(1080, [320, 640, 1080]) == [320, 640, 1080]


def _metadata_of(data: bytes) -> tuple[dict, float]:
    with tempfile.NamedTemporaryFile(suffix=".bin") as file:
        file.write(data)
        file.flush()
        with av.open(file.name) as container:
            tags = dict(container.metadata)
            for stream in container.streams:
                tags.update(stream.metadata)
            return tags, container.duration / av.time_base


def test_mp4_gets_poster_duration_and_a_remux_without_location(
    user, django_capture_on_commit_callbacks, media_root
):
    """An MP4 with a GPS location: duration and size read, posters made, and the playable copy
    is the same stream in a container without the location or title."""
    original = samples.video(2.0, width=480, height=360)
    assert "location" in _metadata_of(original)[0]

    media = uploaded(user, original, django_capture_on_commit_callbacks)

    assert media.kind == Media.Kind.VIDEO
    assert media.status == Media.Status.READY
    assert media.duration_ms == 2000
    assert (media.width, media.height) == (480, 360)
    assert set(media.variants) == {"video", "poster", "poster_320"}
    assert variant_image(media, "poster").size == (480, 360)
    assert variant_image(media, "poster_320").size == (320, 240)
    with default_storage.open(media.variants["video"], "rb") as file:
        tags, duration = _metadata_of(file.read())
    assert "location" not in tags
    assert "title" not in tags
    assert duration == pytest.approx(2.0, abs=0.2)
    assert media.variants["video"].endswith(".mp4")
    assert sorted(stored_files(media_root)) == sorted(media.variants.values())


def test_webm_is_accepted_and_remuxed_as_webm(user, django_capture_on_commit_callbacks):
    """A VP9 WebM is identified by content and kept as WebM."""
    media = uploaded(
        user,
        samples.video(1.0, container="webm", codec="libvpx-vp9", location=None),
        django_capture_on_commit_callbacks,
    )

    assert media.content_type == "video/webm"
    assert media.status == Media.Status.READY
    assert media.variants["video"].endswith(".webm")
    assert "poster" in media.variants


def test_quicktime_from_a_phone_becomes_an_mp4(user, django_capture_on_commit_callbacks):
    """A .mov (QuickTime brand) is taken as a video and remuxed into MP4 without its location."""
    original = samples.video(1.0, container="mov")
    assert original[8:12] == b"qt  "

    media = uploaded(user, original, django_capture_on_commit_callbacks)

    assert media.content_type == "video/mp4"
    assert media.status == Media.Status.READY
    assert media.variants["video"].endswith(".mp4")
    with default_storage.open(media.variants["video"], "rb") as file:
        tags, _ = _metadata_of(file.read())
    assert "location" not in tags


def test_any_django_file_can_be_uploaded(user, django_capture_on_commit_callbacks):
    """Seeds and scripts pass a ContentFile; its name is ignored like a client's."""
    with django_capture_on_commit_callbacks(execute=True):
        media = media_upload(owner=user, upload=ContentFile(samples.png(), name="x.exe"))
    media.refresh_from_db()

    assert media.content_type == "image/png"
    assert media.status == Media.Status.READY
