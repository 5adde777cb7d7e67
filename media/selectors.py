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
    return snapshot_payload(
        {
            "id": media.pk,
            "kind": media.kind,
            "status": media.status,
            "width": media.width,
            "height": media.height,
            "duration_ms": media.duration_ms,
            "placeholder": media.placeholder,
            "variants": media.variants,
            "public": media.public,
        }
    )


def snapshot_payload(fields: dict) -> dict:
    """`media_payload` from a copy of the row's fields kept elsewhere (posts' card snapshots):
    {id, kind, status, width, height, duration_ms, placeholder, variants (storage keys),
    public}; runs no query."""
    duration = None
    if fields["kind"] == Media.Kind.VIDEO and fields["duration_ms"] is not None:
        duration = fields["duration_ms"] / 1000
    public = fields["public"]
    return {
        "id": fields["id"],
        "kind": fields["kind"],
        "status": fields["status"],
        "width": fields["width"],
        "height": fields["height"],
        "duration": duration,
        "placeholder": fields["placeholder"],
        "variants": {
            name: storage.url_for(key, public=public)
            for name, key in (fields["variants"] or {}).items()
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
