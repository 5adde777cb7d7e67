"""`Idempotency-Key` for API writes: a retried request gets the first answer, never a second effect.

The key is per user and per scope (the endpoint), so two users or two endpoints never collide.
The record is inserted before the work and committed with it: a concurrent twin blocks on the
unique constraint until the first commits, then reads its answer (or, if the first failed and
rolled back, does the work itself). Failures are not recorded, so a corrected retry may succeed.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response

from backend.errors import Conflict, InvalidInput
from backend.idempotency.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = IdempotencyRecord._meta.get_field("key").max_length


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"
    message = "This Idempotency-Key was already used with a different request."


def request_fingerprint(data: object) -> str:
    """A hash of the parsed body that ignores key order and whitespace."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent(request: Request, scope: str, compute: Callable[[], Response]) -> Response:
    """Answer `compute()` once per (user, scope, Idempotency-Key); replay it for retries.

    No key: just `compute()`. Same key and same body: the stored response, status included, with
    `Idempotent-Replayed: true`. Same key, other body: 409 `idempotency_conflict`. `compute` runs
    inside this function's transaction, so its writes and the record commit together.
    """
    key = request.headers.get(HEADER)
    if key is None:
        return compute()
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(
            f"The {HEADER} header must be 1 to {MAX_KEY_LENGTH} characters.",
            code="invalid_idempotency_key",
        )
    fingerprint = request_fingerprint(request.data)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=request.user, scope=scope, key=key, request_hash=fingerprint
                )
        except IntegrityError:
            record = None
        if record is None:
            return _replay(request, scope, key, fingerprint)
        response = compute()
        record.status_code = response.status_code
        record.response = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
        record.save(update_fields=["status_code", "response"])
    return response


def _replay(request: Request, scope: str, key: str, fingerprint: str) -> Response:
    earlier = IdempotencyRecord.objects.get(user=request.user, scope=scope, key=key)
    if earlier.request_hash != fingerprint:
        raise IdempotencyConflict()
    return Response(
        earlier.response, status=earlier.status_code, headers={"Idempotent-Replayed": "true"}
    )


def idempotency_records_purge(*, older_than: timedelta | None = None) -> int:
    """Forget answers older than IDEMPOTENCY_KEY_TTL_HOURS: a client retries within minutes,
    and the table would otherwise grow with every checkout, refund and payout."""
    if older_than is None:
        older_than = timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
