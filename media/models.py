"""Uploaded pictures and videos, and the files made from them.

A row is created the moment an upload passes validation (`status=processing`); a task then writes
the variants (and for a video its poster) and marks it `ready`, or `failed` with a reason. The
upload itself (`source`) is private: images are deleted after their variants exist (the variants
are the only copies ever served, re-encoded without metadata); a video keeps its remuxed,
metadata-free file as the `video` variant.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Media(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image"
        VIDEO = "video"

    class Status(models.TextChoices):
        PROCESSING = "processing"
        READY = "ready"
        FAILED = "failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="media"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROCESSING)
    failure_reason = models.CharField(max_length=200, blank=True)
    # The upload as received, under a random key; never served.
    source = models.FileField(upload_to="uploads/%Y/%m/", max_length=255, blank=True)
    # Decided from the content, never from the client's name or header.
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # What a feed card shows while the picture loads: a "#rrggbb" colour or a tiny data URI.
    placeholder = models.CharField(max_length=2000, blank=True)
    # Variant name ("320", "640", "1080", "poster", "video") -> storage name.
    variants = models.JSONField(default=dict, blank=True)
    # Public media get plain URLs; the rest signed, expiring ones. Set by the app that attaches.
    public = models.BooleanField(default=False)
    # When a post or product first used it; unattached uploads are swept after a day.
    attached_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["attached_at", "created_at"], name="media_unattached_idx"),
            models.Index(fields=["owner", "-created_at"], name="media_owner_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
