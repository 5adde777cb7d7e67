"""Pictures to WebP variants: upright, metadata-free, never fully decoded when not needed.

The decoder is asked (`Image.draft`, JPEG only) for the smallest scale still at least as wide as
the largest variant, so a 12-megapixel photo is decoded at 1/2 or 1/4 size. Each smaller variant
is then made from the previous one (`thumbnail`, in place), which keeps one working copy alive.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import IO

from PIL import Image, ImageCms, ImageOps

from media.probe import open_image

WEBP_QUALITY = 80
WEBP_METHOD = 4
# EXIF orientations that swap width and height.
TRANSPOSED = {5, 6, 7, 8}
ORIENTATION_TAG = 0x0112


@dataclass
class Rendered:
    width: int
    height: int
    placeholder: str
    # Variant width -> WebP bytes, largest first.
    webp: dict[int, bytes] = field(default_factory=dict)


def variant_widths(width: int, widths: list[int]) -> list[int]:
    """The configured widths not wider than the picture, plus its own width (capped) if smaller
    than the largest: a 800 px picture gets 320, 640 and 800."""
    chosen = [w for w in widths if w <= width]
    capped = min(width, max(widths))
    if capped not in chosen:
        chosen.append(capped)
    return sorted(chosen)


def render_file(file: IO[bytes], *, widths: list[int]) -> Rendered:
    """Open an uploaded picture (under the pixel cap) and render its variants."""
    with open_image(file) as image:
        orientation = image.getexif().get(ORIENTATION_TAG, 1)
        width, height = image.size
        upright_w = height if orientation in TRANSPOSED else width
        targets = variant_widths(upright_w, widths)
        scale = max(targets) / upright_w
        # draft() takes the size in stored orientation; it never goes below the request.
        image.draft("RGB", (max(1, round(width * scale)), max(1, round(height * scale))))
        upright = ImageOps.exif_transpose(image)
        return render(upright, widths=widths, targets=targets)


def render(image: Image.Image, *, widths: list[int], targets: list[int] | None = None) -> Rendered:
    """Variants of an upright image (e.g. a video frame); the image is changed in place."""
    image = _to_srgb(image)
    # Encoders read only save()'s arguments today; an empty info keeps any EXIF/XMP/ICC of the
    # source out of the variants even if a format starts falling back to it.
    image.info.clear()
    width, height = image.size
    targets = targets or variant_widths(width, widths)
    out = Rendered(width=width, height=height, placeholder="")
    for target in sorted(targets, reverse=True):
        if image.width > target:
            image.thumbnail((target, image.height * 10), Image.Resampling.LANCZOS)
        out.webp[target] = _webp(image)
    out.placeholder = dominant_colour(image)
    return out


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert to RGB(A) in sRGB, so dropping the ICC profile keeps the colours."""
    icc = image.info.get("icc_profile")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            target = ImageCms.createProfile("sRGB")
            image = ImageCms.profileToProfile(image, source, target, outputMode=mode) or image
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # A broken profile: keep the pixels as they are rather than refuse the picture.
    return image


def _webp(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # No exif/icc/xmp arguments: the variant carries pixels only.
    image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return buffer.getvalue()


def dominant_colour(image: Image.Image) -> str:
    """The picture's average colour as "#rrggbb", shown while the variants load."""
    pixel = image.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    return "#{:02x}{:02x}{:02x}".format(*pixel[:3])
