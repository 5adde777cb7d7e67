"""Celery tasks of the outbox: thin wrappers around the dispatcher.

Neither retries itself: the periodic sweep is the retry, for a lost task as for a failed handler.
"""

import logging

from celery import shared_task

from backend.events import dispatcher

logger = logging.getLogger(__name__)


@shared_task(name="backend.events.tasks.dispatch_event")
def dispatch_event(event_id: int) -> None:
    dispatcher.dispatch_event(event_id)


@shared_task(name="backend.events.tasks.dispatch_events")
def dispatch_events(event_ids: list[int]) -> None:
    """The events of one publish_many, in order; one event's trouble never stops the others
    (the sweep retries it)."""
    for event_id in event_ids:
        try:
            dispatcher.dispatch_event(event_id)
        except Exception:
            logger.exception("Could not dispatch event %s", event_id)


@shared_task(name="backend.events.tasks.sweep_events")
def sweep_events() -> int:
    return dispatcher.sweep_events()
