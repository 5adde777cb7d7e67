"""Re-rank discover now (the scheduled job does it every 10 minutes)."""

from django.core.management.base import BaseCommand

from feed.discover.scores import refresh_scores


class Command(BaseCommand):
    help = "Recompute discover's scores for recent posts (feed.discover.scores)."

    def handle(self, *args, **options):
        written = refresh_scores()
        self.stdout.write(f"Discover ranked: {written} entries.")
