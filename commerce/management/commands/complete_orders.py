from django.core.management.base import BaseCommand

from commerce.orders.lifecycle import orders_complete


class Command(BaseCommand):
    help = "Complete the orders whose return window (RETURN_WINDOW_DAYS after delivery) is over."

    def handle(self, *args, **options):
        completed = orders_complete()
        self.stdout.write(f"Completed {completed} order(s).")
