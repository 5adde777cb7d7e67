"""Celery's autodiscovery reads each app's `tasks` module; the feed's tasks live beside the work
they do (fan-out, discover scores), imported here so a worker registers them all."""

from feed import fanout
from feed.discover import tasks as discover_tasks

__all__ = ["discover_tasks", "fanout"]
