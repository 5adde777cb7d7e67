"""Media reads: what clients are given for rows already loaded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files import File

from media import storage
from media.models import Media


def media_payloads(media: Iterable[Media]) -> dict[int, dict]:
    """`{id: payload}` for rows already loaded; runs no query.

    A payload is `{id, kind, status, width, height, duration, placeholder, variants}`:
    `duration` in seconds (a float, videos only, else None) and `variants` `{name: url}`, URLs
    plain for public media and signed, expiring ones (MEDIA_URL_EXPIRE_SECONDS) otherwise.
    Image variants are named by width ("320", "640", "1080"); a video has "video", "poster"
    (the largest) and "poster_<width>" for the smaller posters.
    """
    return {m.pk: media_payload(m) for m in media}


def media_payload(media: Media) -> dict:
    duration = None
    if media.kind == Media.Kind.VIDEO and media.duration_ms is not None:
        duration = media.duration_ms / 1000
    return {
        "id": media.pk,
        "kind": media.kind,
        "status": media.status,
        "width": media.width,
        "height": media.height,
        "duration": duration,
        "placeholder": media.placeholder,
        "variants": {
            name: storage.url_for(key, public=media.public)
            for name, key in (media.variants or {}).items()
        },
    }


def media_get(*, media_id: int) -> Media | None:
    return Media.objects.filter(pk=media_id).first()


@dataclass(frozen=True)
class Picture:
    file: File
    width: int
    height: int


def largest_picture(media: Media) -> Picture | None:
    """The widest WebP variant of a ready picture, opened for reading (the caller closes
    `file`), for apps that keep their own copy (a product's gallery). None while not ready."""
    if media.kind != Media.Kind.IMAGE or media.status != Media.Status.READY:
        return None
    widths = [int(name) for name in (media.variants or {}) if name.isdigit()]
    if not widths or not media.width or not media.height:
        return None
    width = max(widths)
    height = max(1, round(media.height * width / media.width))
    return Picture(storage.storage().open(media.variants[str(width)], "rb"), width, height)
