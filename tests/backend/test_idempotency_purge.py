"""Old Idempotency-Key answers are purged daily; recent ones stay to answer retries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.idempotency.models import IdempotencyRecord
from backend.idempotency.services import idempotency_records_purge
from backend.scheduler import PERIODIC_JOBS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _record(key: str, age: timedelta) -> IdempotencyRecord:
    record = IdempotencyRecord.objects.create(
        user=UserFactory(), scope="checkout", key=key, request_hash="0" * 64, status_code=201
    )
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - age)
    return record


def test_purge_forgets_answers_older_than_the_ttl(settings):
    """With a 48 h TTL, a 3-day-old answer goes and a 1-hour-old one stays."""
    settings.IDEMPOTENCY_KEY_TTL_HOURS = 48
    _record("old", timedelta(days=3))
    recent = _record("recent", timedelta(hours=1))

    assert idempotency_records_purge() == 1

    assert list(IdempotencyRecord.objects.values_list("pk", flat=True)) == [recent.pk]


def test_purge_is_a_daily_job():
    """The purge is on the one schedule, as a daily job."""
    [job] = [job for job in PERIODIC_JOBS if job.name == "idempotency.purge"]
    assert job.daily_at is not None
    assert job.task == "backend.idempotency.tasks.purge_records"
