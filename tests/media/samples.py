"""Files for upload tests, made in memory: pictures with chosen EXIF, hostile files, videos."""

from __future__ import annotations

import io
import struct
import zlib
from fractions import Fraction

import av
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def upload(data: bytes, name: str = "file.bin", content_type: str = "image/jpeg"):
    """An uploaded file whose name and client content type are deliberately not evidence."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg(
    width=800, height=600, colour=(200, 60, 40), *, exif: Image.Exif | None = None, icc=b""
) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif or Image.Exif(), icc_profile=icc)
    return out.getvalue()


def jpeg_detailed(width=640, height=480, **options) -> bytes:
    """A noisy photo, so its compressed pixels (the scan) are most of the file."""
    out = io.BytesIO()
    Image.effect_noise((width, height), 60).convert("RGB").save(out, "JPEG", **options)
    return out.getvalue()


def jpeg_cut_in_scan(data: bytes) -> bytes:
    """`data` cut halfway through its scan: the file ends inside the compressed pixels."""
    return data[: (data.index(b"\xff\xda") + len(data)) // 2]


def jpeg_scan_damaged() -> bytes:
    """A JPEG whole in structure (segments, scan, EOI at the end) with a second frame header
    (SOF0) written over the middle of its compressed pixels: only decoding finds it."""
    data = jpeg_detailed()
    middle = (data.index(b"\xff\xda") + len(data)) // 2
    return data[:middle] + b"\xff\xc0\x00\x11" + data[middle + 4 :]


def jpeg_with_comment(comment: bytes) -> bytes:
    """jpeg_detailed() with a COM segment right after SOI (where EXIF thumbnails also sit)."""
    data = jpeg_detailed()
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return data[:2] + segment + data[2:]


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 15"
    exif[GPS_IFD] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (48.0, 51.0, 29.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (2.0, 17.0, 40.0),
    }
    return exif


def jpeg_gps() -> bytes:
    """A phone photo's metadata: camera, GPS position and a colour profile."""
    return jpeg(1200, 900, exif=gps_exif(), icc=srgb_profile())


def jpeg_rotated() -> bytes:
    """Stored 1200×600 (landscape) with a red top-left quarter and EXIF orientation 6: shown
    upright it is 600×1200 (portrait) with the red block in the top-right corner."""
    image = Image.new("RGB", (1200, 600), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 600, 300))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def png(width=640, height=480, colour=(20, 160, 90, 255), *, pnginfo=None) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), colour).save(out, "PNG", pnginfo=pnginfo)
    return out.getvalue()


def webp(width=500, height=400) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (250, 200, 10)).save(out, "WEBP")
    return out.getvalue()


def heic(width=400, height=300) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 30, 200)).save(out, "HEIF")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 50_000) -> bytes:
    """A tiny PNG whose header claims side×side pixels (one compressed row of zeros)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (1 + side * 3), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def png_html_polyglot() -> bytes:
    """A valid PNG carrying HTML in a text chunk and after IEND: sniffers may call it HTML."""
    info = PngInfo()
    info.add_text("Comment", HTML.decode())
    return png(64, 64, pnginfo=info) + HTML


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)


def video(
    seconds: float = 1.0,
    *,
    container: str = "mp4",
    codec: str = "libx264",
    width: int = 320,
    height: int = 240,
    fps: int = 10,
    location: str | None = "+48.8577+002.2950/",
) -> bytes:
    """A small real video (moving colour), optionally with a GPS location in its metadata."""
    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as target:
        if location:
            target.metadata["location"] = location
            target.metadata["title"] = "holiday"
        stream = target.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, fps)
        for index in range(max(1, round(seconds * fps))):
            picture = Image.new("RGB", (width, height), ((index * 20) % 255, 0, 0))
            picture.paste((0, 200, 0), (0, 0, width, height // 2))
            frame = av.VideoFrame.from_image(picture)
            frame.pts = index
            for packet in stream.encode(frame):
                target.mux(packet)
        for packet in stream.encode():
            target.mux(packet)
    return out.getvalue()


def long_video(seconds: int) -> bytes:
    """A video longer than `seconds` at one frame per second, tiny and quick to encode."""
    return video(seconds + 2, fps=1, width=64, height=64, location=None)
