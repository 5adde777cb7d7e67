"""Discover's scheduled job (backend/scheduler.py): thin, it calls the refresh."""

from celery import shared_task

from feed.discover.scores import refresh_scores


@shared_task(name="feed.discover.tasks.refresh_discover_scores")
def refresh_discover_scores() -> int:
    return refresh_scores()
