"""What an upload is, decided from its bytes: magic numbers first, then the file's structure.

Nothing here trusts the file name or the client's content type. The order of checks matters:
the magic bytes pick the only decoder that may look at the file; the pixel cap is read from the
header before any pixel is decoded; then the container is walked to its end without decoding a
pixel (JPEG: the marker segments to the first scan, then its end-of-image marker; PNG: every
chunk's CRC up to IEND; WebP: the RIFF length; HEIF: the top-level boxes), so a truncated file
is refused at upload for at most the cost of reading it once (a JPEG: its header and last bytes).
A reduced decode would also catch damage inside the compressed pixels, but it cost several times
as much as storing the file; the processing task decodes anyway, and marks such a file `failed`
with a reason.

GIF is refused (415): an animated GIF is a video in disguise and a still one is better sent as
PNG; taking it would mean either losing the animation silently or a transcoding pipeline.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import IO

import av
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from media.errors import TooLarge, UnsupportedType, invalid_media

HEAD_BYTES = 64
# ISO base media "ftyp" major brands: still pictures (HEIF) and movies (MP4, QuickTime).
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
    b"M4V ", b"M4A ", b"mmp4", b"dash", b"qt  ", b"3gp4", b"3gp5", b"3gp6", b"3g2a",
}  # fmt: skip
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
HEIF_FORMATS = {"HEIF", "HEIC"}
JPEG_SOS, JPEG_EOI = 0xDA, b"\xff\xd9"
# Markers without a length field after them: TEM and the restart markers RST0-RST7.
JPEG_STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD8)}
SCAN_CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Probe:
    kind: str  # "image" or "video"
    content_type: str
    extension: str
    width: int
    height: int
    duration_ms: int | None = None


def sniff(head: bytes) -> str | None:
    """The content type the first bytes announce, among those we take; None otherwise."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in HEIF_BRANDS:
            return "image/heic"
        if brand in MP4_BRANDS:
            return "video/mp4"
        return None
    # EBML header; Matroska files other than WebM are refused by the DocType.
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:HEAD_BYTES]:
        return "video/webm"
    return None


def probe(file: IO[bytes], *, size: int) -> Probe:
    """Identify and check `file` (seekable, `size` bytes); raise the API's error if refused."""
    if size == 0:
        raise invalid_media("The file is empty.")
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise UnsupportedType()
    if content_type.startswith("video/"):
        if size > settings.MEDIA_VIDEO_MAX_BYTES:
            raise too_many_bytes(settings.MEDIA_VIDEO_MAX_BYTES)
        return _probe_video(file, content_type)
    if size > settings.MEDIA_IMAGE_MAX_BYTES:
        raise too_many_bytes(settings.MEDIA_IMAGE_MAX_BYTES)
    return _probe_image(file, content_type, size)


def too_many_bytes(limit: int) -> TooLarge:
    return TooLarge(f"The file is larger than {human_size(limit)}.")


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size // 1024} KB"


def check_pixels(width: int, height: int) -> None:
    """Refuse a picture over the pixel cap, from its declared size (before decoding)."""
    limit = settings.MEDIA_IMAGE_MAX_PIXELS
    if width * height > limit:
        raise TooLarge(
            f"The picture is {width}×{height} pixels; at most {limit:,} pixels are accepted."
        )


def open_image(file: IO[bytes]) -> Image.Image:
    """Image.open (header only) under our pixel cap; Pillow's own bomb check is an error too."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooLarge("The picture has too many pixels.") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise invalid_media("The picture could not be read.") from exc
    try:
        check_pixels(*image.size)
    except TooLarge:
        image.close()
        raise
    return image


def _probe_image(file: IO[bytes], content_type: str, size: int) -> Probe:
    image = open_image(file)
    with image:
        expected = HEIF_FORMATS if content_type == "image/heic" else {_format_of(content_type)}
        if image.format not in expected:
            raise invalid_media("The picture's content does not match its format.")
        width, height = image.size
        try:
            complete = _complete(image, file, size)
        except (OSError, ValueError, SyntaxError, EOFError):
            complete = False
        if not complete:
            raise invalid_media("The picture is damaged or incomplete.")
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(
        content_type, "heic"
    )
    return Probe("image", content_type, extension, width, height)


def _format_of(content_type: str) -> str:
    return next(name for name, ctype in IMAGE_FORMATS.items() if ctype == content_type)


def _complete(image: Image.Image, file: IO[bytes], size: int) -> bool:
    """Whether the file holds the whole picture, judged from its structure alone."""
    if image.format == "JPEG":
        return _jpeg_complete(file, size)
    if image.format == "PNG":
        # Walks the chunks to IEND checking their CRCs, without inflating the pixels.
        image.verify()
        return True
    if image.format == "WEBP":
        # The RIFF header gives the length of everything after it.
        file.seek(4)
        return int.from_bytes(file.read(4), "little") + 8 <= size
    return _boxes_complete(file, size)


def _jpeg_complete(file: IO[bytes], size: int) -> bool:
    """The marker segments chain from SOI to the first scan, and an EOI marker follows it.

    The segments before the scan are skipped by their lengths (an EXIF thumbnail has an EOI
    of its own). Entropy-coded data never holds FF D9 (a data byte FF is always followed by 00
    or a restart marker), so a file cut inside its scans has no FF D9 after the scan header,
    while a whole one has, mostly as its last two bytes: hence the search from the end. Bytes
    after the EOI (a motion photo's video, a camera's trailer) are ignored, as decoders do.
    """
    position = 2  # After SOI.
    while True:
        file.seek(position)
        head = file.read(4)
        # A second SOI, or EOI before any scan, is no picture.
        if len(head) < 4 or head[0] != 0xFF or head[1] in (0xD8, 0xD9):
            return False
        if head[1] == 0xFF:  # A fill byte before the marker.
            position += 1
        elif head[1] in JPEG_STANDALONE_MARKERS:
            position += 2
        else:
            position += 2 + int.from_bytes(head[2:], "big")
            if head[1] == JPEG_SOS:
                return position < size and _occurs_after(file, JPEG_EOI, position, size)


def _occurs_after(file: IO[bytes], needle: bytes, start: int, size: int) -> bool:
    """Whether `needle` occurs between `start` and `size`, read backwards in bounded chunks."""
    end = size
    while True:
        begin = max(start, end - SCAN_CHUNK_BYTES)
        file.seek(begin)
        if needle in file.read(end - begin):
            return True
        if begin == start:
            return False
        end = begin + len(needle) - 1  # Overlap, for a needle across two chunks.


def _boxes_complete(file: IO[bytes], size: int) -> bool:
    """ISO base media (HEIF) top-level boxes follow one another to exactly the file's end."""
    position = 0
    while position < size:
        file.seek(position)
        head = file.read(16)
        if len(head) < 8:
            return False
        length = int.from_bytes(head[:4], "big")
        if length == 0:  # The last box runs to the end of the file.
            return True
        if length == 1:  # A 64-bit length follows the box type.
            length = int.from_bytes(head[8:16], "big")
        if length < 8:
            return False
        position += length
    return position == size


def _probe_video(file: IO[bytes], content_type: str) -> Probe:
    try:
        container = av.open(file, mode="r")
    except (av.FFmpegError, ValueError, OSError) as exc:
        raise invalid_media("The video could not be read.") from exc
    with container:
        name = container.format.name
        if ("webm" in name) != (content_type == "video/webm") or not (
            "mp4" in name or "webm" in name
        ):
            raise invalid_media("The video's content does not match its format.")
        if not container.streams.video:
            raise invalid_media("The file has no video stream.")
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        duration_ms = video_duration_ms(container)
        if duration_ms is None or not width or not height:
            raise invalid_media("The video's length or size could not be read.")
        limit = settings.MEDIA_VIDEO_MAX_SECONDS
        if duration_ms > limit * 1000:
            raise TooLarge(f"The video is longer than {limit} seconds.")
        try:
            next(container.decode(stream))
        except (av.FFmpegError, StopIteration, ValueError) as exc:
            raise invalid_media("The video could not be decoded.") from exc
    extension = "webm" if content_type == "video/webm" else "mp4"
    return Probe("video", content_type, extension, width, height, duration_ms)


def video_duration_ms(container) -> int | None:
    """The container's duration, else the longest video stream's, in milliseconds."""
    if container.duration:
        return int(container.duration * 1000 // av.time_base)
    lengths = [
        float(s.duration * s.time_base)
        for s in container.streams.video
        if s.duration and s.time_base
    ]
    return int(max(lengths) * 1000) if lengths else None
