"""Decoding uploaded pictures safely, for every app that takes one (avatars, products, logos).

A picture is accepted only when Pillow decodes it as JPEG, PNG or WebP within the byte and pixel
caps (the pixel cap is checked from the header, before decoding spends the memory); it comes back
upright (EXIF orientation applied) and is re-encoded by the caller, so no metadata (GPS!) and
nothing hidden after the image data ever reaches storage.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

FORMATS = ("JPEG", "PNG", "WEBP")


def open_upright(
    upload, *, max_bytes: int, max_pixels: int, refuse: Callable[[str], Exception]
) -> Image.Image:
    """The decoded picture in RGB (RGBA when it has transparency), or `refuse(reason)` raised."""
    if upload is None:
        raise refuse("Choose a picture to upload.")
    if upload.size is not None and upload.size > max_bytes:
        raise refuse(f"The picture must be at most {max_bytes // (1024 * 1024)} MB.")
    try:
        upload.seek(0)
        with Image.open(upload, formats=FORMATS) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise refuse("The picture has too many pixels.")
            image.load()
            upright = ImageOps.exif_transpose(image)
            has_alpha = "A" in upright.getbands() or "transparency" in upright.info
            return upright.convert("RGBA" if has_alpha else "RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise refuse("The file is not a JPEG, PNG or WebP picture we can read.") from exc


def webp_file(picture: Image.Image) -> ContentFile:
    """The picture as a WebP file under a random name (never the uploader's)."""
    buffer = BytesIO()
    picture.save(buffer, format="WEBP", quality=85)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.webp")
