from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class EventsConfig(AppConfig):
    name = "backend.events"
    label = "events"

    def ready(self):
        # The events app also hosts the scheduler's hooks: the outbox sweep is its first job.
        post_migrate.connect(
            _sync_schedule,
            sender=self.apps.get_app_config("django_celery_beat"),
            dispatch_uid="backend.scheduler.sync_beat_schedule",
        )


def _sync_schedule(sender, using, **kwargs):
    """After every migrate beat's tables list exactly backend/scheduler.py's jobs."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    from backend.scheduler import sync_beat_schedule

    tables = connections[using].introspection.table_names()
    needed = [model._meta.db_table for model in (PeriodicTask, IntervalSchedule, CrontabSchedule)]
    # Not after migrating django_celery_beat back to zero, say.
    if all(table in tables for table in needed):
        sync_beat_schedule()
