from celery import shared_task

from commerce.orders.lifecycle import orders_auto_deliver, orders_complete
from commerce.orders.services import payments_expire


@shared_task(name="commerce.orders.tasks.expire_payments")
def expire_payments() -> int:
    """The scheduler's payment timeout job (every minute)."""
    return payments_expire()


@shared_task(name="commerce.orders.tasks.auto_deliver_orders")
def auto_deliver_orders() -> int:
    """The scheduler's daily job: shipped orders nobody confirmed count as delivered."""
    return orders_auto_deliver()


@shared_task(name="commerce.orders.tasks.complete_orders")
def complete_orders() -> int:
    """The scheduler's daily job: orders past the return window are completed."""
    return orders_complete()
