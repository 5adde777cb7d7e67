from celery import shared_task

from backend.idempotency.services import idempotency_records_purge


@shared_task(name="backend.idempotency.tasks.purge_records")
def purge_records() -> int:
    """The scheduler's daily cleanup of old Idempotency-Key answers."""
    return idempotency_records_purge()
