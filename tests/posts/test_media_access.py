"""Who may fetch a post's media: the media API and the files' URLs follow the post's visibility.

Real uploads go through the media pipeline (processing runs on commit), so the variant files
exist and the serving view is exercised end to end.
"""

import io
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from media import services as media_services
from posts import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(django_capture_on_commit_callbacks):
    """`uploaded(owner)`: a processed JPEG upload of `owner`'s, ready with its variants."""

    def make(owner):
        out = io.BytesIO()
        Image.new("RGB", (640, 480), (230, 160, 40)).save(out, "JPEG")
        upload = SimpleUploadedFile("mango.jpg", out.getvalue(), content_type="image/jpeg")
        with django_capture_on_commit_callbacks(execute=True):
            media = media_services.media_upload(owner=owner, upload=upload)
        media.refresh_from_db()
        assert media.status == "ready", media.failure_reason
        return media

    return make


def _variant_url(client, post_id: int) -> str:
    """The URL of the first variant of the post's first picture, as the post payload gives it."""
    payload = client.get(f"/api/v1/posts/{post_id}").json()
    return next(iter(payload["media"][0]["variants"].values()))


def _plain(url: str) -> str:
    return urlsplit(url).path


def test_media_of_a_friends_post_is_for_friends_only(cast, client_for, uploaded):
    """GET media/{id} answers the uploader and friends, 404 to a stranger or a blocked user;
    a variant's plain URL is a 404 while the signed one from the payload works."""
    media = uploaded(cast.author)
    post = services.post_create(
        author=cast.author, text="", media_ids=[media.pk], visibility="friends", status="published"
    )
    answers = {
        name: client_for(getattr(cast, name)).get(f"/api/v1/media/{media.pk}").status_code
        for name in ("author", "friend", "stranger", "follower", "blocked")
    }
    assert answers == {
        "author": 200,
        "friend": 200,
        "stranger": 404,
        "follower": 404,
        "blocked": 404,
    }
    signed = _variant_url(client_for(cast.friend), post.pk)
    assert "sig=" in signed
    anonymous = client_for(None)
    assert anonymous.get(signed).status_code == 200
    assert anonymous.get(_plain(signed)).status_code == 404
    tampered = signed.replace("sig=", "sig=0")
    assert anonymous.get(tampered).status_code == 404


def test_media_of_a_public_post_has_plain_urls_for_everyone(cast, client_for, uploaded):
    """A published public post's pictures are public: the plain URL works without a sign-in."""
    media = uploaded(cast.author)
    post = services.post_create(
        author=cast.author, text="", media_ids=[media.pk], visibility="public", status="published"
    )
    url = _variant_url(client_for(cast.stranger), post.pk)
    assert "sig=" not in url
    assert client_for(None).get(_plain(url)).status_code == 200
    assert client_for(cast.stranger).get(f"/api/v1/media/{media.pk}").status_code == 200


@pytest.mark.parametrize("change", ["delete", "draft", "narrow"])
def test_media_stop_being_reachable_when_the_post_is(cast, client_for, uploaded, change):
    """Deleting a post, or keeping it a draft, or narrowing it to close friends makes its
    media private: the plain URL is a 404 and GET media/{id} is a 404 to a stranger."""
    media = uploaded(cast.author)
    post = services.post_create(
        author=cast.author,
        text="",
        media_ids=[media.pk],
        visibility="public",
        status="draft" if change == "draft" else "published",
    )
    if change == "delete":
        services.post_delete(post=post, actor=cast.author)
    if change == "narrow":
        services.post_update(post=post, actor=cast.author, visibility="close_friends")
    media.refresh_from_db()
    plain = next(iter(media.variants.values()))
    assert client_for(None).get(f"{settings.MEDIA_URL}{plain}").status_code == 404
    assert client_for(cast.stranger).get(f"/api/v1/media/{media.pk}").status_code == 404
    assert client_for(cast.author).get(f"/api/v1/media/{media.pk}").status_code == 200
