from django.core.management.base import BaseCommand

from backend.scheduler import PERIODIC_JOBS, sync_beat_schedule


class Command(BaseCommand):
    help = "Write backend/scheduler.py's periodic jobs into Celery beat's tables (idempotent)."

    def handle(self, *args, **options):
        changes = sync_beat_schedule()
        self.stdout.write(
            f"Schedule synced: {len(PERIODIC_JOBS)} job(s), {changes} row(s) created, "
            "changed or deleted."
        )
