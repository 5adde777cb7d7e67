"""Product pictures and shop logos: accepted only when Pillow decodes them, then re-encoded.

Re-encoding drops EXIF (GPS!) and anything hidden after the image data, turns the picture upright
and bounds its size, so what we store and serve is always a plain WebP of known dimensions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from commerce.errors import InvalidImage

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP")


@dataclass(frozen=True)
class CleanImage:
    file: ContentFile
    width: int
    height: int


def image_from_upload(upload, *, field: str, max_side: int) -> CleanImage:
    """A WebP no larger than max_side on its long edge, or InvalidImage naming `field`."""

    def refuse(reason: str) -> InvalidImage:
        return InvalidImage(reason, fields={field: [reason]})

    if upload is None:
        raise refuse("Choose a picture to upload.")
    if upload.size is not None and upload.size > MAX_BYTES:
        raise refuse(f"The picture must be at most {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        upload.seek(0)
        with Image.open(upload, formats=FORMATS) as image:
            width, height = image.size
            # The header says how much memory decoding would take: refuse before decoding.
            if width * height > MAX_PIXELS:
                raise refuse("The picture has too many pixels.")
            image.load()
            upright = ImageOps.exif_transpose(image)
            has_alpha = "A" in upright.getbands() or "transparency" in upright.info
            picture = upright.convert("RGBA" if has_alpha else "RGB")
    except InvalidImage:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise refuse("The file is not a JPEG, PNG or WebP picture we can read.") from exc
    picture.thumbnail((max_side, max_side))
    buffer = BytesIO()
    picture.save(buffer, format="WEBP", quality=85)
    return CleanImage(
        file=ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.webp"),
        width=picture.width,
        height=picture.height,
    )
