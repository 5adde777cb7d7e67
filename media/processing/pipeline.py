"""From a stored source to stored variants: the work media_process runs outside any transaction.

Every file written is recorded in `written` as soon as it exists, so the caller can delete them
all when a later step fails or another worker finished first.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files import File

from backend.errors import ApplicationError
from media import storage
from media.models import Media
from media.processing import images, video


class ProcessingError(Exception):
    """A failure whose message is fit to show the uploader (stored as failure_reason)."""


@dataclass
class Outcome:
    width: int
    height: int
    placeholder: str
    duration_ms: int | None = None
    variants: dict[str, str] = field(default_factory=dict)


def render_media(media: Media, written: list[str]) -> Outcome:
    if not media.source.name:
        raise ProcessingError("The upload is missing.")
    prefix = storage.new_prefix(media.pk)
    if media.kind == Media.Kind.VIDEO:
        return _render_video(media, prefix, written)
    return _render_image(media, prefix, written)


def _render_image(media: Media, prefix: str, written: list[str]) -> Outcome:
    with storage.storage().open(media.source.name, "rb") as source:
        try:
            rendered = images.render_file(source, widths=settings.MEDIA_VARIANT_WIDTHS)
        except ApplicationError as exc:  # Refused by the same checks as at upload.
            raise ProcessingError(exc.message) from exc
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise ProcessingError("The picture could not be decoded.") from exc
    outcome = Outcome(rendered.width, rendered.height, rendered.placeholder)
    outcome.variants = _save_variants(rendered, prefix, written, name=str)
    return outcome


def _save_variants(rendered: images.Rendered, prefix: str, written: list[str], *, name) -> dict:
    """Store each WebP under `prefix`; `name(width)` gives the variant's name."""
    variants = {}
    for width, data in sorted(rendered.webp.items()):
        key = name(width)
        stored = storage.save_new(f"{prefix}/{key}.webp", data)
        written.append(stored)
        variants[key] = stored
    return variants


def _render_video(media: Media, prefix: str, written: list[str]) -> Outcome:
    extension = "webm" if media.content_type == "video/webm" else "mp4"
    with tempfile.TemporaryDirectory(prefix="media-") as work:
        source_path = os.path.join(work, f"source.{extension}")
        target_path = os.path.join(work, f"video.{extension}")
        with (
            storage.storage().open(media.source.name, "rb") as source,
            open(source_path, "wb") as local,
        ):
            shutil.copyfileobj(source, local, 1024 * 1024)
        try:
            info = video.read(source_path)
            video.remux(source_path, target_path, content_type=media.content_type)
        except (video.av.FFmpegError, StopIteration, ValueError, IndexError) as exc:
            raise ProcessingError("The video could not be decoded.") from exc
        rendered = images.render(info.poster, widths=settings.MEDIA_VARIANT_WIDTHS)
        largest = max(rendered.webp)
        outcome = Outcome(info.width, info.height, rendered.placeholder, info.duration_ms)
        outcome.variants = _save_variants(
            rendered, prefix, written, name=lambda w: "poster" if w == largest else f"poster_{w}"
        )
        with open(target_path, "rb") as remuxed:
            stored = storage.save_new(f"{prefix}/video.{extension}", File(remuxed))
        written.append(stored)
        outcome.variants["video"] = stored
    return outcome
