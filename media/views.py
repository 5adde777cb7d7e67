"""Files under MEDIA_URL, served by the app in every mode (no DEBUG-only static serving).

Only two kinds of file are ever served: a media row's variants (plainly when the row is
public, else with a valid signature from media.storage.sign) and the other apps' public
pictures (avatars, product images, shop logos). Sources and anything else are a 404. Nothing is
sent with a type taken from the file: the type comes from our own map by extension, and every
answer carries nosniff and a sandboxing CSP, so even a crafted file never runs as a page.
"""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from media import storage
from media.models import Media

CONTENT_TYPES = {
    "webp": "image/webp",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
# upload_to prefixes of other apps' files that are public by nature.
PUBLIC_PREFIXES = ("avatars/", "products/", "shops/")
PUBLIC_CACHE = "public, max-age=31536000, immutable"
PRIVATE_CACHE = "private, max-age=300"
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


@require_safe
def serve(request, name: str):
    content_type = CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower())
    if content_type is None or ".." in name.split("/") or name.startswith("/"):
        raise Http404
    media_id = storage.media_id_of(name)
    if media_id is not None:
        cache = _media_cache_policy(request, media_id, name)
    elif name.startswith(PUBLIC_PREFIXES):
        cache = PUBLIC_CACHE
    else:
        raise Http404
    try:
        file = storage.storage().open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = _ranged(request, file, content_type)
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-site"
    return response


def _media_cache_policy(request, media_id: int, name: str) -> str:
    media = Media.objects.filter(pk=media_id).only("public", "variants").first()
    if media is None or name not in (media.variants or {}).values():
        raise Http404
    if media.public:
        return PUBLIC_CACHE
    if storage.signature_valid(name, request.GET.get("exp"), request.GET.get("sig")):
        return PRIVATE_CACHE
    raise Http404


def _ranged(request, file, content_type: str) -> HttpResponse:
    """A single byte range (what video players ask for) as 206, else the whole file."""
    size = file.size
    match = RANGE.match(request.headers.get("Range", ""))
    if not match or not any(match.groups()):
        response = FileResponse(file, content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:
        start, end = max(0, size - int(last)), size - 1
    if start > end or start >= size:
        file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    file.seek(start)
    response = StreamingHttpResponse(
        _read(file, end - start + 1), status=206, content_type=content_type
    )
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response


def _read(file, remaining: int):
    try:
        while remaining > 0:
            chunk = file.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        file.close()
