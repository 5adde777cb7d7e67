"""Media writes: upload, processing, attaching to posts/products, publicity, and the purge."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from backend.accounts.models import User
from media import access, storage
from media.errors import invalid_media
from media.models import Media
from media.probe import probe
from media.processing.pipeline import ProcessingError, render_media

logger = logging.getLogger(__name__)


def media_upload(*, owner: User, upload: File) -> Media:
    """Validate `upload` (an UploadedFile, or any Django File: seeds and scripts) by its content,
    store it under a random key and queue its processing.

    Raises before anything is stored: `unsupported_type` (415), `too_large` (413) or
    `invalid_media` (400). The row starts `processing`; the task runs once this commits.
    """
    # Found by seeking, which reads nothing (an UploadedFile made by hand may have no size).
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    info = probe(upload, size=size)
    upload.seek(0)
    stored = ""
    try:
        with transaction.atomic():
            media = Media.objects.create(
                owner=owner,
                kind=info.kind,
                content_type=info.content_type,
                size_bytes=size,
                width=info.width,
                height=info.height,
                duration_ms=info.duration_ms,
            )
            stored = storage.save_new(
                f"{storage.new_prefix(media.pk)}/source.{info.extension}", upload
            )
            media.source.name = stored
            media.save(update_fields=["source"])
            transaction.on_commit(lambda: _queue_processing(media.pk))
    except BaseException:
        if stored:
            storage.delete_all([stored])
        raise
    return media


def _queue_processing(media_id: int) -> None:
    from media.tasks import process_media

    process_media.delay(media_id)


def media_process(*, media_id: int) -> Media:
    """Render the variants of a `processing` upload and mark it `ready` (or `failed`).

    Idempotent: a row no longer processing is returned untouched, and when two workers race the
    second one's files are deleted. Never raises for a bad file: the reason is stored instead.
    """
    media = Media.objects.get(pk=media_id)
    if media.status != Media.Status.PROCESSING:
        return media
    written: list[str] = []
    try:
        outcome = render_media(media, written)
    except ProcessingError as exc:
        return _fail(media_id, str(exc), written)
    except Exception:
        logger.exception("media %s: processing failed", media_id)
        return _fail(media_id, "The file could not be processed.", written)
    with transaction.atomic():
        locked = Media.objects.select_for_update().filter(pk=media_id).first()
        if locked is None or locked.status != Media.Status.PROCESSING:
            # Purged, or finished by another worker meanwhile: our copies are surplus.
            transaction.on_commit(lambda: storage.delete_all(written))
            return locked or media
        source = locked.source.name
        locked.width, locked.height = outcome.width, outcome.height
        locked.duration_ms = outcome.duration_ms
        locked.placeholder = outcome.placeholder
        locked.variants = outcome.variants
        locked.status = Media.Status.READY
        locked.processed_at = timezone.now()
        locked.source = ""
        locked.save()
        transaction.on_commit(lambda: storage.delete_all([source]))
        if locked.public:
            _sync_publicity_on_commit([locked.pk], public=True)
        access.media_changed([locked.pk])
    return locked


def _fail(media_id: int, reason: str, written: list[str]) -> Media:
    storage.delete_all(written)
    with transaction.atomic():
        locked = Media.objects.select_for_update().get(pk=media_id)
        if locked.status != Media.Status.PROCESSING:
            return locked
        source = locked.source.name
        locked.status = Media.Status.FAILED
        locked.failure_reason = reason[:200]
        locked.processed_at = timezone.now()
        locked.source = ""
        locked.save(update_fields=["status", "failure_reason", "processed_at", "source"])
        transaction.on_commit(lambda: storage.delete_all([source]))
        access.media_changed([locked.pk])
    return locked


def media_attach(*, owner: User, media_ids: list[int]) -> list[Media]:
    """Lock and return the owner's media in the order given, marking them attached.

    Call inside the caller's transaction (the rows stay locked until it ends). Refuses with
    `invalid_media` ids that are unknown, another user's, failed, or repeated. Media already
    attached (a post being edited keeps its pictures) are accepted as they are.
    """
    ids = [int(i) for i in media_ids]
    if len(set(ids)) != len(ids):
        raise invalid_media("The same media is listed twice.")
    with transaction.atomic():
        rows = {
            m.pk: m
            for m in Media.objects.select_for_update()
            .filter(owner=owner, pk__in=ids)
            .order_by("pk")
        }
        missing = [i for i in ids if i not in rows]
        if missing:
            raise invalid_media(f"Unknown media: {', '.join(map(str, missing))}.")
        failed = [i for i in ids if rows[i].status == Media.Status.FAILED]
        if failed:
            raise invalid_media(
                f"Media {', '.join(map(str, failed))} could not be processed; upload it again."
            )
        now = timezone.now()
        fresh = [i for i in ids if rows[i].attached_at is None]
        if fresh:
            Media.objects.filter(pk__in=fresh).update(attached_at=now)
            for i in fresh:
                rows[i].attached_at = now
    return [rows[i] for i in ids]


def media_set_public(*, media_ids: list[int], public: bool) -> None:
    """Mark media public (plain URLs) or private (signed URLs); on S3 the objects' tags follow
    once the transaction commits. The caller decides: a medium shared by a public post and a
    private one stays public while any public post uses it."""
    changing = Media.objects.filter(pk__in=list(media_ids)).exclude(public=public)
    ids = list(changing.values_list("pk", flat=True))
    if not ids:
        return
    Media.objects.filter(pk__in=ids).update(public=public)
    _sync_publicity_on_commit(ids, public=public)
    access.media_changed(ids)


def _sync_publicity_on_commit(media_ids: Iterable[int], *, public: bool) -> None:
    if not storage.is_s3():
        return
    ids = list(media_ids)

    def tag() -> None:
        names = [
            name
            for variants in Media.objects.filter(pk__in=ids, public=public).values_list(
                "variants", flat=True
            )
            for name in (variants or {}).values()
        ]
        storage.s3_set_public(names, public)

    transaction.on_commit(tag)


def media_purge_unattached(*, now: datetime | None = None) -> int:
    """Delete uploads nothing attached within MEDIA_UNATTACHED_TTL_HOURS: rows, then files.

    A row another app references without having attached it (PROTECT) is kept and marked
    attached instead, so one such row never stops the sweep.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.MEDIA_UNATTACHED_TTL_HOURS)
    deleted = 0
    with transaction.atomic():
        stale = Media.objects.select_for_update(skip_locked=True).filter(
            attached_at__isnull=True, created_at__lt=cutoff
        )
        for media in stale:
            try:
                with transaction.atomic():
                    media.delete()
            except ProtectedError:
                Media.objects.filter(pk=media.pk).update(attached_at=now)
                continue
            names = [n for n in [media.source.name, *(media.variants or {}).values()] if n]
            transaction.on_commit(partial(storage.delete_all, names))
            deleted += 1
    return deleted
