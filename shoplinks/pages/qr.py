"""QR codes for share URLs, drawn by segno as SVG: no image library, no request elsewhere."""

from __future__ import annotations

import io

import segno

# "M" survives a scuffed screen or a printed sticker; segno raises it further when the code's
# size allows it for free.
ERROR_LEVEL = "m"
INK = "#1f1a17"
PAPER = "#ffffff"


def _code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_svg_inline(url: str) -> str:
    """An <svg> element for `url` that scales with its box (viewBox, no fixed size). The title
    is a fixed text: the only variable input is the URL, which segno turns into modules."""
    return _code(url).svg_inline(
        scale=1,
        border=2,
        dark=INK,
        light=PAPER,
        omitsize=True,
        svgclass="share-qr",
        title="QR code",
    )


def qr_svg_document(url: str) -> bytes:
    """A standalone SVG file for `url`, big enough to print."""
    out = io.BytesIO()
    _code(url).save(out, kind="svg", scale=10, border=2, dark=INK, light=PAPER, title="QR code")
    return out.getvalue()
