"""Product pictures and shop logos: accepted only when Pillow decodes them, then re-encoded.

Re-encoding drops EXIF (GPS!) and anything hidden after the image data, turns the picture upright
and bounds its size, so what we store and serve is always a plain WebP of known dimensions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile

from backend.images import open_upright, webp_file
from commerce.errors import InvalidImage

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CleanImage:
    file: ContentFile
    width: int
    height: int


def image_from_upload(upload, *, field: str, max_side: int) -> CleanImage:
    """A WebP no larger than max_side on its long edge, or InvalidImage naming `field`."""

    def refuse(reason: str) -> InvalidImage:
        return InvalidImage(reason, fields={field: [reason]})

    picture = open_upright(upload, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, refuse=refuse)
    picture.thumbnail((max_side, max_side))
    return CleanImage(
        file=webp_file(picture),
        width=picture.width,
        height=picture.height,
    )
