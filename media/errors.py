"""The media app's error codes (API.md "Media").

The rule for choosing among them: content that is not a picture or video we take is
`unsupported_type` (415); content over a limit (bytes, pixels, seconds) is `too_large` (413);
content of a type we take that does not decode is `invalid_media` (400).
"""

from __future__ import annotations

from backend.errors import ApplicationError, InvalidInput

INVALID_MEDIA = "invalid_media"


class TooLarge(ApplicationError):
    status = 413
    code = "too_large"
    message = "The file is too large."


class UnsupportedType(ApplicationError):
    status = 415
    code = "unsupported_type"
    message = "Only JPEG, PNG, WebP and HEIC pictures and MP4 or WebM videos can be uploaded."


def invalid_media(message: str) -> InvalidInput:
    """A 400 `invalid_media` about the uploaded file."""
    return InvalidInput(message, code=INVALID_MEDIA, fields={"file": [message]})
