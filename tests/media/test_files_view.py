"""Files under MEDIA_URL: public variants plainly, private ones only signed, sources never."""

from __future__ import annotations

import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from media import storage
from media.models import Media
from media.selectors import media_payloads
from media.services import media_set_public, media_upload
from tests.media import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(user, django_capture_on_commit_callbacks) -> Media:
    with django_capture_on_commit_callbacks(execute=True):
        media = media_upload(owner=user, upload=samples.upload(samples.jpeg(1400, 1000)))
    media.refresh_from_db()
    return media


@pytest.fixture
def video(user, django_capture_on_commit_callbacks) -> Media:
    with django_capture_on_commit_callbacks(execute=True):
        media = media_upload(owner=user, upload=samples.upload(samples.video(1.0)))
    media.refresh_from_db()
    return media


def url_of(media: Media, name: str = "640") -> str:
    return media_payloads([media])[media.pk]["variants"][name]


def test_private_variant_with_a_valid_signature_is_served_privately(client, ready):
    """A signed URL serves the WebP with private caching and the safety headers."""
    url = url_of(ready)
    assert "sig=" in url
    assert "exp=" in url

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"].startswith("private")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda url: url.split("?")[0],
        lambda url: url[:-1] + ("0" if url[-1] != "0" else "1"),
        lambda url: url.replace("exp=", "exp=9"),
        lambda url: url.replace("/640.webp", "/320.webp"),
    ],
    ids=["unsigned", "bad-signature", "extended-expiry", "other-variant"],
)
def test_private_variant_without_a_valid_signature_is_404(client, ready, tamper):
    """Dropping, altering or reusing a signature for another file answers 404."""
    assert client.get(tamper(url_of(ready))).status_code == 404


def test_expired_signature_is_404(client, ready):
    """A signature whose expiry has passed no longer serves the file."""
    name = ready.variants["640"]
    past = int(time.time()) - 1
    query = storage.sign(name, expires=past)

    response = client.get(f"/media/{name}", query)

    assert response.status_code == 404
    assert storage.signature_valid(name, query["exp"], query["sig"]) is False


def test_public_variant_is_served_plainly_and_cached_immutably(
    client, ready, django_capture_on_commit_callbacks
):
    """Once public, the URL carries no signature and the answer is public and immutable."""
    with django_capture_on_commit_callbacks(execute=True):
        media_set_public(media_ids=[ready.pk], public=True)
    ready.refresh_from_db()
    url = url_of(ready)

    response = client.get(url)

    assert "?" not in url
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_sources_and_unknown_files_are_never_served(client, user):
    """An upload's source (even with a valid signature), other files under m/ and names
    outside the public prefixes are 404."""
    media = Media.objects.create(
        owner=user, kind="image", content_type="image/jpeg", size_bytes=3, public=True
    )
    source = default_storage.save(f"m/{media.pk}/abc/source.jpg", ContentFile(samples.jpeg()))
    media.source.name = source
    media.save()
    stray = default_storage.save("private/notes.png", ContentFile(samples.png()))

    assert client.get(f"/media/{source}", storage.sign(source)).status_code == 404
    assert client.get(f"/media/{stray}").status_code == 404
    assert client.get("/media/m/999/abc/640.webp").status_code == 404


def test_other_apps_public_pictures_are_served_plainly(client):
    """Avatars, product images and shop logos are served with a type from our own map."""
    name = default_storage.save("products/2026/11/mango.jpg", ContentFile(samples.jpeg()))

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_with_an_unmapped_extension_is_never_served(client):
    """Even under a public prefix, an .html or .svg file is 404: no type is guessed."""
    default_storage.save("avatars/2026/11/x.html", ContentFile(samples.HTML))
    default_storage.save("avatars/2026/11/x.svg", ContentFile(samples.SVG))

    assert client.get("/media/avatars/2026/11/x.html").status_code == 404
    assert client.get("/media/avatars/2026/11/x.svg").status_code == 404


def test_video_supports_range_requests(client, video):
    """A player's byte range gets 206 with Content-Range and exactly those bytes."""
    url = url_of(video, "video")
    whole = b"".join(client.get(url).streaming_content)

    response = client.get(url, headers={"Range": "bytes=10-99"})

    assert response.status_code == 206
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Range"] == f"bytes 10-99/{len(whole)}"
    assert b"".join(response.streaming_content) == whole[10:100]
    suffix = client.get(url, headers={"Range": "bytes=-20"})
    assert b"".join(suffix.streaming_content) == whole[-20:]
    assert client.get(url, headers={"Range": f"bytes={len(whole)}-"}).status_code == 416


def test_file_view_costs_one_query(client, ready, django_assert_num_queries):
    """Serving a variant reads the one media row and nothing else."""
    url = url_of(ready)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
