"""Celery tasks of the outbox: thin wrappers around the dispatcher.

Neither retries itself: the periodic sweep is the retry, for a lost task as for a failed handler.
"""

from celery import shared_task

from backend.events import dispatcher


@shared_task(name="backend.events.tasks.dispatch_event")
def dispatch_event(event_id: int) -> None:
    dispatcher.dispatch_event(event_id)


@shared_task(name="backend.events.tasks.sweep_events")
def sweep_events() -> int:
    return dispatcher.sweep_events()
