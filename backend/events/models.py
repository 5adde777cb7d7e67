"""The outbox: events written with the change that caused them, and each handler's run."""

from django.db import models
from django.utils import timezone


class Event(models.Model):
    name = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    # Set once every subscribed handler is done; the sweep looks for the rows where it is null.
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="events_undelivered_idx",
                condition=models.Q(delivered_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"


class HandlerRun(models.Model):
    """One handler's work on one event: the record that makes it run at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="runs")
    # The subscription key (registry.subscribe), stable across restarts and deploys.
    handler = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When a failed run may be tried again; null once it has used up its attempts.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="events_one_run_per_handler"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="events_retry_due_idx",
                condition=models.Q(status="failed"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.handler} on event #{self.event_id}: {self.status}"

    @property
    def gave_up(self) -> bool:
        return self.status == self.Status.FAILED and self.next_attempt_at is None
