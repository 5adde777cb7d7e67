"""Celery's autodiscovery reads each app's `tasks` module; the shop's tasks live in its
sub-packages, imported here so a worker registers them all."""

from commerce.orders import tasks as orders_tasks

__all__ = ["orders_tasks"]
