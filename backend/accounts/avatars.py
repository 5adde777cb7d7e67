"""Avatar uploads: accepted only when they decode, then re-encoded so no metadata survives.

Re-encoding to a fixed-size WebP drops EXIF (GPS!) and anything smuggled after the image data,
and bounds what we store and serve whatever was uploaded.
"""

from __future__ import annotations

import uuid
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from backend.accounts.errors import InvalidImage

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
SIDE = 512
FORMATS = ("JPEG", "PNG", "WEBP")


def _refuse(reason: str) -> InvalidImage:
    return InvalidImage(reason, fields={"avatar": [reason]})


def avatar_from_upload(upload) -> ContentFile:
    """A square SIDE×SIDE WebP made from an uploaded JPEG, PNG or WebP, or InvalidImage."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise _refuse(f"The picture must be at most {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        upload.seek(0)
        with Image.open(upload, formats=FORMATS) as image:
            width, height = image.size
            # Checked before decoding: the header alone says how much memory decoding would take.
            if width * height > MAX_PIXELS:
                raise _refuse("The picture has too many pixels.")
            image.load()
            upright = ImageOps.exif_transpose(image)
            has_alpha = "A" in upright.getbands() or "transparency" in upright.info
            square = ImageOps.fit(upright.convert("RGBA" if has_alpha else "RGB"), (SIDE, SIDE))
    except InvalidImage:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _refuse("The file is not a JPEG, PNG or WebP picture we can read.") from exc
    buffer = BytesIO()
    square.save(buffer, format="WEBP", quality=85)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.webp")
