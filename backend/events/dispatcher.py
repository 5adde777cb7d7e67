"""Delivery: every subscribed handler runs once per event, and is retried while it fails.

A handler's run is guarded by its HandlerRun row, locked for the length of the run, and the
handler's writes commit in the same transaction as the row's "done": a handler's effect happens
exactly once however many dispatchers (the after-commit task, the sweep, an operator's retry)
reach the same event at the same time.
"""

import logging
import traceback
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from backend.events import registry
from backend.events.models import Event, HandlerRun

logger = logging.getLogger(__name__)

# Enough of a traceback to find the fault from the admin, without storing megabytes per retry.
MAX_ERROR_CHARS = 8000


def dispatch_event(event_id: int) -> bool:
    """Run the event's handlers that are due, in subscription order; True once it is delivered.

    Safe to call any number of times and concurrently: a done handler never runs again, a failed
    one only when its next attempt time has come. Call it outside any transaction: each handler
    commits on its own.
    """
    event = Event.objects.filter(pk=event_id).first()
    if event is None or event.delivered_at is not None:
        return event is not None
    subscriptions = registry.subscriptions_for(event.name)
    # Another dispatcher may create the same rows at the same moment: the unique constraint
    # settles it and both go on to lock the one row per handler.
    HandlerRun.objects.bulk_create(
        [HandlerRun(event=event, handler=subscription.key) for subscription in subscriptions],
        ignore_conflicts=True,
    )
    for subscription in subscriptions:
        _run(event, subscription)
    return _mark_delivered_if_done(event, subscriptions)


def _run(event: Event, subscription: registry.Subscription) -> None:
    with transaction.atomic():
        # Held until this transaction ends, so a second dispatcher waits here and then finds
        # the run done (or failed and not yet due) instead of running the handler again.
        run = HandlerRun.objects.select_for_update().get(event=event, handler=subscription.key)
        if not _is_due(run, timezone.now()):
            return
        try:
            # A savepoint: a failing handler's writes are undone, its failure record is kept.
            with transaction.atomic():
                subscription.handler(event)
        except Exception as exc:
            _record_failure(run, exc)
        else:
            run.status = HandlerRun.Status.DONE
            run.attempts += 1
            run.next_attempt_at = None
            run.finished_at = timezone.now()
        run.save()


def _is_due(run: HandlerRun, now: datetime) -> bool:
    if run.status == HandlerRun.Status.PENDING:
        return True
    return (
        run.status == HandlerRun.Status.FAILED
        and run.next_attempt_at is not None
        and run.next_attempt_at <= now
    )


def _record_failure(run: HandlerRun, exc: Exception) -> None:
    run.status = HandlerRun.Status.FAILED
    run.attempts += 1
    run.last_error = "".join(traceback.format_exception(exc))[-MAX_ERROR_CHARS:]
    if run.attempts < settings.EVENTS_MAX_ATTEMPTS:
        run.next_attempt_at = timezone.now() + retry_delay(run.attempts)
        logger.warning(
            "Event handler %s failed on event %s (attempt %s), retrying at %s",
            run.handler,
            run.event_id,
            run.attempts,
            run.next_attempt_at,
            exc_info=exc,
        )
    else:
        run.next_attempt_at = None
        logger.error(
            "Event handler %s gave up on event %s after %s attempts",
            run.handler,
            run.event_id,
            run.attempts,
            exc_info=exc,
        )


def retry_delay(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: exponential from the base, capped."""
    seconds = settings.EVENTS_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, settings.EVENTS_RETRY_MAX_SECONDS))


def _mark_delivered_if_done(event: Event, subscriptions: list[registry.Subscription]) -> bool:
    keys = [subscription.key for subscription in subscriptions]
    done = HandlerRun.objects.filter(
        event=event, handler__in=keys, status=HandlerRun.Status.DONE
    ).count()
    if done < len(keys):
        return False
    Event.objects.filter(pk=event.pk, delivered_at__isnull=True).update(delivered_at=timezone.now())
    return True


def events_waiting(*, now: datetime, limit: int) -> list[int]:
    """Ids of undelivered events past the grace period that a dispatch could move on.

    That is: never dispatched (no runs), stopped half-way (a run still pending, or every run
    done but the event not marked), or holding a failed run whose next attempt is due. An event
    held only by runs that gave up waits for an operator's retry.
    """
    grace = timedelta(seconds=settings.EVENTS_SWEEP_GRACE_SECONDS)
    runs = HandlerRun.objects.filter(event=OuterRef("pk"))
    movable = (
        ~Exists(runs.exclude(status=HandlerRun.Status.DONE))
        | Exists(runs.filter(status=HandlerRun.Status.PENDING))
        | Exists(runs.filter(status=HandlerRun.Status.FAILED, next_attempt_at__lte=now))
    )
    return list(
        Event.objects.filter(Q(delivered_at__isnull=True), Q(created_at__lte=now - grace))
        .filter(movable)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )


def sweep_events(*, limit: int = 500) -> int:
    """Dispatch what the after-commit dispatch missed or what is due for a retry; returns how
    many events it tried. One event's trouble never stops the others."""
    event_ids = events_waiting(now=timezone.now(), limit=limit)
    for event_id in event_ids:
        try:
            dispatch_event(event_id)
        except Exception:
            logger.exception("Sweep could not dispatch event %s", event_id)
    return len(event_ids)
