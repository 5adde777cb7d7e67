"""POST media, the upload zoo: good files become media, bad ones get their code, leave nothing."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from backend.celery import app as celery_app
from media.models import Media
from media.selectors import media_payloads
from tests.factories import UserFactory
from tests.media import samples
from tests.media.conftest import stored_files

pytestmark = pytest.mark.django_db


def assert_nothing_stored(media_root):
    assert Media.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("data", "name", "status", "code"),
    [
        (b"", "empty.jpg", 400, "invalid_media"),
        (samples.jpeg()[:3000], "cut.jpg", 400, "invalid_media"),
        (b"just some words, not a picture\n" * 10, "notes.jpg", 415, "unsupported_type"),
        (samples.SVG, "logo.svg", 415, "unsupported_type"),
        (samples.HTML, "page.png", 415, "unsupported_type"),
        (samples.gif(), "anim.gif", 415, "unsupported_type"),
        (samples.jpeg_cut_in_scan(samples.jpeg_detailed()), "cut.jpg", 400, "invalid_media"),
        (
            samples.jpeg_cut_in_scan(samples.jpeg_detailed(progressive=True)),
            "cut.jpg",
            400,
            "invalid_media",
        ),
        (
            samples.jpeg_cut_in_scan(samples.jpeg_with_comment(b"thumbnail\xff\xd9")),
            "cut.jpg",
            400,
            "invalid_media",
        ),
        (samples.png_bomb(), "bomb.png", 413, "too_large"),
        (samples.png()[:200], "cut.png", 400, "invalid_media"),
        (samples.webp()[:-10], "cut.webp", 400, "invalid_media"),
        (samples.heic()[:-10], "cut.heic", 400, "invalid_media"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "fake.png", 400, "invalid_media"),
        (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "fake.mp4", 400, "invalid_media"),
    ],
    ids=[
        "zero-bytes",
        "truncated-jpeg",
        "text-named-jpg",
        "svg",
        "html-named-png",
        "gif",
        "jpeg-cut-in-scan",
        "progressive-jpeg-cut-between-scans",
        "jpeg-cut-with-an-eoi-in-a-header-segment",
        "png-50000x50000",
        "truncated-png",
        "truncated-webp",
        "truncated-heic",
        "png-magic-then-garbage",
        "mp4-magic-then-garbage",
    ],
)
def test_bad_uploads_get_their_code_and_store_nothing(
    post_file, media_root, data, name, status, code
):
    """Each refused file answers the API's code for it, and neither a row nor a file remains."""
    response = post_file(data, name)

    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert_nothing_stored(media_root)


def test_video_over_the_length_cap_is_too_large(post_file, media_root, settings):
    """A video longer than MEDIA_VIDEO_MAX_SECONDS is refused at upload with 413 too_large."""
    settings.MEDIA_VIDEO_MAX_SECONDS = 5

    response = post_file(samples.long_video(5), "clip.mp4", "video/mp4")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert "5 seconds" in response.json()["error"]["message"]
    assert_nothing_stored(media_root)


@pytest.mark.django_db(transaction=True)
def test_jpeg_upload_answers_201_ready_with_webp_variants(client_of, media_root):
    """A photo (named .png, sent as text/plain: neither matters) is accepted as a JPEG; with
    eager tasks the answer is already `ready`, with 320/640/1080 variants and its size."""
    client = client_of(UserFactory())
    upload = samples.upload(samples.jpeg(2000, 1500), "photo.png", "text/plain")
    response = client.post("/api/v1/media", {"file": upload}, format="multipart")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "image"
    assert body["status"] == "ready"
    assert (body["width"], body["height"]) == (2000, 1500)
    assert body["duration"] is None
    assert set(body["variants"]) == {"320", "640", "1080"}
    assert all(url.startswith("http://testserver/media/m/") for url in body["variants"].values())
    media = Media.objects.get()
    assert media.content_type == "image/jpeg"
    assert media.source.name == ""
    assert all(name.endswith(".webp") for name in stored_files(media_root))
    assert len(stored_files(media_root)) == 3


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (samples.png(), "image/png"),
        (samples.webp(), "image/webp"),
        (samples.heic(), "image/heic"),
    ],
    ids=["png", "webp", "heic"],
)
def test_other_picture_formats_are_accepted(post_file, data, content_type):
    """PNG, WebP and HEIC are identified from their bytes and processed to WebP variants."""
    response = post_file(data, "upload.bin", "application/octet-stream")

    assert response.status_code == 201, response.content
    media = Media.objects.get()
    assert (media.status, media.content_type) == ("ready", content_type)
    assert media.variants


@pytest.mark.parametrize(
    "data",
    [
        samples.jpeg_detailed() + b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40,
        samples.jpeg_detailed(progressive=True),
        samples.jpeg_with_comment(b"thumbnail\xff\xd9"),
    ],
    ids=["motion-photo-trailer", "progressive", "eoi-in-a-header-segment"],
)
def test_whole_jpegs_of_every_shape_are_accepted(post_file, data):
    """A JPEG followed by other bytes (a motion photo's video), a progressive one (many scans)
    and one with an EOI inside a header segment are whole pictures: accepted and processed."""
    response = post_file(data)

    assert response.status_code == 201, response.content
    assert Media.objects.get().status == "ready"


def test_damage_inside_the_compressed_pixels_fails_in_the_task(post_file, media_root):
    """The upload checks structure, not pixels: a JPEG whole in structure but broken inside its
    scan is accepted (201), then the task marks it failed with a reason and keeps no file."""
    response = post_file(samples.jpeg_scan_damaged())

    assert response.status_code == 201, response.content
    media = Media.objects.get()
    assert (media.status, media.failure_reason) == ("failed", "The picture could not be decoded.")
    assert (media.variants, media.source.name) == ({}, "")
    assert stored_files(media_root) == []


def test_processing_status_is_answered_when_the_task_has_not_run(client_of, user):
    """Without the on-commit task having run, the upload answers 201 `processing`, no variants."""
    response = client_of(user).post(
        "/api/v1/media", {"file": samples.upload(samples.jpeg())}, format="multipart"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "processing"
    assert response.json()["variants"] == {}


def test_with_a_worker_the_upload_only_writes_its_row(
    client_of, user, monkeypatch, django_assert_num_queries
):
    """With tasks sent to a worker, the request's queries are the row's insert and the update
    naming its stored file (in a savepoint here): no reload of a row the task has not touched."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    client = client_of(user)

    with django_assert_num_queries(4):
        response = client.post(
            "/api/v1/media", {"file": samples.upload(samples.jpeg())}, format="multipart"
        )

    assert response.status_code == 201
    assert response.json()["status"] == "processing"


def test_missing_file_field_is_invalid_media(client_of, user, media_root):
    """A multipart body without `file` is a 400 invalid_media naming the field."""
    response = client_of(user).post("/api/v1/media", {"other": "x"}, format="multipart")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_media"
    assert "file" in response.json()["error"]["fields"]


def test_upload_needs_authentication(api_client):
    """Anonymous uploads are refused with 401."""
    response = api_client.post(
        "/api/v1/media", {"file": samples.upload(samples.jpeg())}, format="multipart"
    )

    assert response.status_code == 401


def test_polyglot_png_is_a_picture_and_only_webp_is_served(post_file, client, media_root):
    """A PNG that also reads as HTML is accepted as a picture, but every byte served for it is
    a fresh WebP with nosniff and a sandbox CSP: the HTML never reaches a browser."""
    response = post_file(samples.png_html_polyglot(), "x.png", "text/html")

    assert response.status_code == 201
    media = Media.objects.get()
    assert media.status == "ready"
    for url in media_payloads([media])[media.pk]["variants"].values():
        served = client.get(url)
        assert served.status_code == 200
        assert served["Content-Type"] == "image/webp"
        assert served["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in served["Content-Security-Policy"]
        body = b"".join(served.streaming_content)
        assert body[:4] == b"RIFF"
        assert body[8:12] == b"WEBP"
        assert b"<script" not in body
        assert Image.open(io.BytesIO(body)).format == "WEBP"
