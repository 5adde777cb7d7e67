"""Avatar uploads: accepted only when they decode, then re-encoded so no metadata survives.

Re-encoding to a fixed-size WebP drops EXIF (GPS!) and anything smuggled after the image data,
and bounds what we store and serve whatever was uploaded.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from PIL import ImageOps

from backend.accounts.errors import InvalidImage
from backend.images import open_upright, webp_file

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
SIDE = 512


def _refuse(reason: str) -> InvalidImage:
    return InvalidImage(reason, fields={"avatar": [reason]})


def avatar_from_upload(upload) -> ContentFile:
    """A square SIDE×SIDE WebP made from an uploaded JPEG, PNG or WebP, or InvalidImage."""
    picture = open_upright(upload, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, refuse=_refuse)
    return webp_file(ImageOps.fit(picture, (SIDE, SIDE)))
