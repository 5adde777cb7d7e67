from celery import shared_task

from commerce.orders.services import payments_expire


@shared_task(name="commerce.orders.tasks.expire_payments")
def expire_payments() -> int:
    """The scheduler's payment timeout job (every minute)."""
    return payments_expire()
