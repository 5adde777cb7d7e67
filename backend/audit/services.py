"""The audit trail's one write."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from backend.audit.models import AuditEntry


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe copies of the values: dates as ISO strings, files as their names."""
    plain = {}
    for key, value in values.items():
        if isinstance(value, datetime.date | datetime.datetime):
            plain[key] = value.isoformat()
        elif isinstance(value, models.Model):
            plain[key] = value.pk
        elif hasattr(value, "name") and hasattr(value, "storage"):
            plain[key] = value.name or ""
        else:
            plain[key] = value
    # Round-trips through the encoder so anything else unusual fails here, not at save time.
    DjangoJSONEncoder().encode(plain)
    return plain


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: models.Model,
    before: dict[str, Any],
    after: dict[str, Any],
) -> AuditEntry:
    """Record that `actor` (None for the system) did `action` to `target`.

    Call inside the transaction of the change it records, so the row exists exactly when the
    change does.
    """
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        before=_plain(before),
        after=_plain(after),
    )
