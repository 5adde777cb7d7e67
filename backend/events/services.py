"""Publishing domain events, and an operator's retry of their delivery.

An event is a row written in the same transaction as the change it announces, so it exists
exactly when the change does; its handlers run after commit (backend.events.dispatcher).
"""

import re
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from backend.events import tasks
from backend.events.errors import InvalidEvent
from backend.events.models import Event, HandlerRun

EVENT_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
MAX_NAME_LENGTH = Event._meta.get_field("name").max_length


def publish(name: str, payload: dict) -> Event:
    """Record the event `name` in the current transaction; its handlers run after commit.

    Call it inside the transaction that makes the change the event announces (outside one it
    opens its own): a rollback takes the event with it and nothing is delivered. The payload
    holds ids, integers (amounts in minor units), strings, booleans, nulls, lists and objects,
    exactly as handlers will read them back. Raises InvalidEvent for anything else.
    """
    _check_name(name)
    _check_payload(payload)
    # No savepoint of its own: a failed insert fails the caller's change too, as it must, and a
    # checkout publishing one event per order saves two statements per event.
    with transaction.atomic(savepoint=False):
        event = Event.objects.create(name=name, payload=payload)
        # robust: the change is committed whatever happens here (a broker that is down, say);
        # the sweep delivers what this missed.
        transaction.on_commit(partial(tasks.dispatch_event.delay, event.pk), robust=True)
    return event


def publish_many(name: str, payloads: list[dict]) -> list[Event]:
    """Record one event `name` per payload, as publish does, in one INSERT; returns them in the
    order of `payloads`.

    For a job announcing thousands of changes: one row per event still, but a single statement
    and a single after-commit task, which delivers the events in order. Every payload is checked
    before anything is written, so an InvalidEvent leaves the transaction as it was.
    """
    _check_name(name)
    for payload in payloads:
        _check_payload(payload)
    if not payloads:
        return []
    with transaction.atomic(savepoint=False):
        # Ids come back from the INSERT itself on PostgreSQL and SQLite >= 3.35.
        events = Event.objects.bulk_create(
            [Event(name=name, payload=payload) for payload in payloads]
        )
        event_ids = [event.pk for event in events]
        transaction.on_commit(partial(tasks.dispatch_events.delay, event_ids), robust=True)
    return events


def _check_name(name: str) -> None:
    if not (isinstance(name, str) and len(name) <= MAX_NAME_LENGTH and EVENT_NAME.fullmatch(name)):
        raise InvalidEvent(
            f"Event name {name!r} is not like 'order.paid' (lower-case dotted words)."
        )


def _check_payload(payload: dict) -> None:
    if not isinstance(payload, dict):
        raise InvalidEvent(f"Event payload must be a dict, not {type(payload).__name__}.")
    _check_json(payload, "payload")


def _check_json(value: object, where: str) -> None:
    # No floats, Decimals, datetimes or tuples: they would not read back as they were written.
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, f"{where}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidEvent(f"{where} has a non-string key {key!r}.")
            _check_json(item, f"{where}[{key!r}]")
        return
    raise InvalidEvent(
        f"{where} is a {type(value).__name__} ({value!r}); event payloads carry ids, integers "
        "(money in minor units), strings (e.g. ISO 8601 times), booleans, null, lists and dicts."
    )


def events_retry(*, event_ids: Iterable[int]) -> int:
    """Make the failed handlers of these events due now, even those that gave up, and queue
    their dispatch; returns how many undelivered events were queued."""
    event_ids = list(
        Event.objects.filter(pk__in=list(event_ids), delivered_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    with transaction.atomic():
        HandlerRun.objects.filter(event_id__in=event_ids, status=HandlerRun.Status.FAILED).update(
            next_attempt_at=timezone.now()
        )
        for event_id in event_ids:
            transaction.on_commit(partial(tasks.dispatch_event.delay, event_id), robust=True)
    return len(event_ids)
