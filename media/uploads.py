"""Size caps applied while the request body arrives, before the whole upload is read.

Under WSGI the Content-Length check refuses an oversize body before a byte of it is read; the
streaming handler stops a body that lies about its length. daphne (Twisted) has received the
whole body before the application runs, so there the front proxy's body limit is what spares
the bandwidth (docs/operations.md); these checks still refuse it before it is parsed or stored.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room for the multipart boundaries and part headers around the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def upload_max_bytes() -> int:
    """The largest file any kind of upload may be; the type is not known before the bytes."""
    return max(settings.MEDIA_IMAGE_MAX_BYTES, settings.MEDIA_VIDEO_MAX_BYTES)


def declared_too_large(meta: dict) -> bool:
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > upload_max_bytes() + MULTIPART_OVERHEAD_BYTES


class SizeCapHandler(FileUploadHandler):
    """First in the handler chain: counts file bytes and stops the upload past the cap, which
    makes Django close (and so delete) the temporary file the next handler was writing."""

    def __init__(self, request=None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
