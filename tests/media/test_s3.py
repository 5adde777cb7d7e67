"""The S3 path against moto's S3 server on loopback: the same pipeline, presigned URLs."""

from __future__ import annotations

import json
import socket
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import boto3
import httpx
import pytest
from django.utils import timezone
from moto.server import ThreadedMotoServer

from media.models import Media
from media.selectors import media_payloads
from media.services import (
    media_process,
    media_purge_unattached,
    media_set_public,
    media_upload,
)
from media.storage import public_read_policy
from tests.media import samples

pytestmark = pytest.mark.django_db

BUCKET = "wom-media-test"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(settings, s3_endpoint, media_root):
    """A fresh bucket, and the default storage switched to S3Storage on it."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "endpoint_url": s3_endpoint,
                "bucket_name": BUCKET,
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "region_name": "us-east-1",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "file_overwrite": False,
                "querystring_expire": settings.MEDIA_URL_EXPIRE_SECONDS,
                "default_acl": None,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def upload(user, data, capture) -> Media:
    with capture(execute=True):
        media = media_upload(owner=user, upload=samples.upload(data))
    media.refresh_from_db()
    return media


def test_upload_writes_variants_to_the_bucket_and_drops_the_source(
    s3, user, django_capture_on_commit_callbacks
):
    """The pipeline runs unchanged on S3: the bucket holds exactly the WebP variants."""
    media = upload(user, samples.jpeg(1400, 1000), django_capture_on_commit_callbacks)

    assert media.status == Media.Status.READY
    assert keys(s3) == sorted(media.variants.values())
    assert all(key.startswith(f"m/{media.pk}/") for key in keys(s3))


def test_private_media_get_presigned_urls_fetchable_without_credentials(
    s3, user, settings, django_capture_on_commit_callbacks
):
    """A private variant's URL is presigned for MEDIA_URL_EXPIRE_SECONDS and fetches the WebP
    with a plain HTTP client; the same key without the signature is refused."""
    settings.MEDIA_URL_EXPIRE_SECONDS = 600
    media = upload(user, samples.jpeg(), django_capture_on_commit_callbacks)
    url = media_payloads([media])[media.pk]["variants"]["640"]
    query = parse_qs(urlsplit(url).query)

    fetched = httpx.get(url)

    assert fetched.status_code == 200
    assert fetched.content[8:12] == b"WEBP"
    # moto does not enforce the expiry of presigned URLs: the signed lifetime is asserted.
    assert httpx.get(url.split("?")[0]).status_code == 403
    assert query["X-Amz-Expires"] == ["600"]
    assert "X-Amz-Signature" in query


def test_presigned_url_lifetime_follows_the_setting(
    s3, user, settings, django_capture_on_commit_callbacks
):
    """The presigned lifetime is MEDIA_URL_EXPIRE_SECONDS at the time the URL is made (moto
    serves expired URLs, so the expiry S3 enforces is checked in the URL itself)."""
    media = upload(user, samples.jpeg(), django_capture_on_commit_callbacks)
    settings.MEDIA_URL_EXPIRE_SECONDS = 1

    url = media_payloads([media])[media.pk]["variants"]["320"]

    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["1"]


def test_public_media_get_plain_urls_and_the_public_tag(
    s3, user, django_capture_on_commit_callbacks
):
    """Made public, every variant object is tagged public=true and its URL is plain; anonymous
    reads are refused until the documented bucket policy is set, then served. Made private
    again, the tags go and the URLs are signed again. (moto applies the policy without its
    tag condition, so the tag itself is asserted.)"""
    media = upload(user, samples.jpeg(), django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        media_set_public(media_ids=[media.pk], public=True)
    media.refresh_from_db()
    urls = media_payloads([media])[media.pk]["variants"]

    assert httpx.get(urls["640"]).status_code == 403
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read_policy(BUCKET)))
    for name, key in media.variants.items():
        tags = s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"]
        assert tags == [{"Key": "public", "Value": "true"}]
        assert urls[name] == f"{s3.meta.endpoint_url}/{BUCKET}/{key}"
        fetched = httpx.get(urls[name])
        assert fetched.status_code == 200
        assert fetched.content[8:12] == b"WEBP"

    with django_capture_on_commit_callbacks(execute=True):
        media_set_public(media_ids=[media.pk], public=False)
    media.refresh_from_db()
    for key in media.variants.values():
        assert s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"] == []
    urls = media_payloads([media])[media.pk]["variants"].values()
    assert all("X-Amz-Signature" in url for url in urls)


def test_video_on_s3_gets_poster_and_remux(s3, user, django_capture_on_commit_callbacks):
    """The video path (download to a temporary file, remux, upload) works against S3."""
    media = upload(user, samples.video(1.0), django_capture_on_commit_callbacks)

    assert media.status == Media.Status.READY
    assert keys(s3) == sorted(media.variants.values())
    assert {"video", "poster"} <= set(media.variants)


def test_purge_deletes_the_objects(s3, user, django_capture_on_commit_callbacks):
    """Deleting an unattached upload removes its objects from the bucket."""
    upload(user, samples.jpeg(), django_capture_on_commit_callbacks)
    assert keys(s3)

    with django_capture_on_commit_callbacks(execute=True):
        media_purge_unattached(now=timezone.now() + timedelta(days=2))

    assert keys(s3) == []
    assert Media.objects.count() == 0


def test_media_made_public_while_processing_are_tagged_when_ready(
    s3, user, django_capture_on_commit_callbacks
):
    """A post published before its pictures are processed: the variants are tagged public as
    soon as they exist."""
    with django_capture_on_commit_callbacks(execute=False):
        media = media_upload(owner=user, upload=samples.upload(samples.jpeg()))
    with django_capture_on_commit_callbacks(execute=True):
        media_set_public(media_ids=[media.pk], public=True)

    with django_capture_on_commit_callbacks(execute=True):
        media = media_process(media_id=media.pk)

    assert media.variants
    for key in media.variants.values():
        assert s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"] == [
            {"Key": "public", "Value": "true"}
        ]
