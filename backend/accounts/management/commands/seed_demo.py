"""`python manage.py seed_demo`: fill the database with believable demo data, idempotently.

Each app contributes a step: a callable `step(*, log)` named by dotted path in SEED_STEPS, run in
this order, each in its own transaction. Steps create only what is missing, so running the
command twice changes nothing. Paths rather than imports keep backend free of the apps it seeds.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

SEED_STEPS = [
    "backend.accounts.seed.seed_people",
    "commerce.seed.seed_shop",
    "posts.seed.seed_posts",
    "shoplinks.seed.seed_links",
    # Three steps: each one's events (attribution, accrual, confirmation) are delivered when it
    # commits, and the next builds on them.
    "rewards.seed.seed_purchases",
    "rewards.seed.seed_outcomes",
    "rewards.seed.seed_payouts",
    # Last: friends engaging with what the steps above made (notifications come from it).
    "feed.seed.seed_social",
]


class Command(BaseCommand):
    help = "Create demo users, their social graph and (as apps add steps) their content."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo accounts have published passwords: not in production.")
        for path in SEED_STEPS:
            step = import_string(path)
            self.stdout.write(f"Seeding: {path}")
            with transaction.atomic():
                step(log=self.stdout.write)
        demo = import_string("backend.accounts.seed.sign_in_hint")()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. {demo}"))
