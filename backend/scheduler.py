"""The periodic jobs: this list is the one place they are declared.

Two runners read it. With services, Celery beat (`celery -A backend beat -S django`) reads
django-celery-beat's tables, which `sync_beat_schedule()` fills from PERIODIC_JOBS after every
migrate and on `manage.py sync_schedule`. In the embedded default, `make run` starts the
in-process scheduler below (asgi.py, when INPROCESS_SCHEDULER is set), which runs the same jobs
on the same schedule. Daily times are wall-clock times in BUSINESS_TIME_ZONE.

A job names its Celery task by dotted path, so backend never imports the apps it schedules.
"""

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """Run `task` (a Celery task's dotted path) every `every`, or each day at `daily_at`."""

    name: str
    task: str
    every: timedelta | None = None
    daily_at: time | None = None

    def __post_init__(self):
        if (self.every is None) == (self.daily_at is None):
            raise ImproperlyConfigured(f"Job {self.name!r}: give exactly one of every, daily_at.")
        if self.every is not None and (
            self.every <= timedelta(0) or self.every % timedelta(seconds=1)
        ):
            raise ImproperlyConfigured(f"Job {self.name!r}: every must be whole seconds > 0.")
        if self.daily_at is not None and (
            self.daily_at.tzinfo is not None or self.daily_at.second or self.daily_at.microsecond
        ):
            raise ImproperlyConfigured(
                f"Job {self.name!r}: daily_at is a naive HH:MM (in BUSINESS_TIME_ZONE)."
            )

    def next_run_after(self, moment: datetime) -> datetime:
        """The first run strictly after `moment` (aware), in UTC."""
        if self.every is not None:
            return (moment + self.every).astimezone(UTC)
        zone = business_time_zone()
        day = moment.astimezone(zone).date()
        candidate = datetime.combine(day, self.daily_at, tzinfo=zone)
        if candidate <= moment:
            candidate = datetime.combine(day + timedelta(days=1), self.daily_at, tzinfo=zone)
        return candidate.astimezone(UTC)


PERIODIC_JOBS: list[Job] = [
    Job("events.sweep", "backend.events.tasks.sweep_events", every=timedelta(seconds=30)),
    Job(
        "commerce.payments_expire",
        "commerce.orders.tasks.expire_payments",
        every=timedelta(seconds=60),
    ),
    Job(
        "commerce.orders_auto_deliver",
        "commerce.orders.tasks.auto_deliver_orders",
        daily_at=time(3, 0),
    ),
    Job("commerce.complete_orders", "commerce.orders.tasks.complete_orders", daily_at=time(3, 30)),
    Job(
        "idempotency.purge",
        "backend.idempotency.tasks.purge_records",
        daily_at=time(4, 0),
    ),
    Job("media.purge_unattached", "media.tasks.purge_unattached", every=timedelta(hours=1)),
    Job("shoplinks.flush_clicks", "shoplinks.tasks.flush_clicks", every=timedelta(seconds=5)),
    Job(
        "feed.discover_scores",
        "feed.discover.tasks.refresh_discover_scores",
        every=timedelta(minutes=10),
    ),
]


def business_time_zone() -> ZoneInfo:
    return ZoneInfo(settings.BUSINESS_TIME_ZONE)


# --- Celery beat (services) -----------------------------------------------------------------

# Marks the beat rows this module owns: a job dropped from the list has its row deleted, while
# rows an operator added by hand (and beat's own cleanup task) are left alone.
MANAGED = "Declared in backend/scheduler.py; sync_schedule overwrites edits made here."


def sync_beat_schedule(jobs: Sequence[Job] | None = None) -> int:
    """Make django-celery-beat's periodic tasks match `jobs` (default PERIODIC_JOBS).

    Idempotent: rows already right are not written again. Returns how many rows it created,
    changed or deleted.
    """
    jobs = PERIODIC_JOBS if jobs is None else jobs
    changes = 0
    with transaction.atomic():
        for job in jobs:
            wanted = {
                "task": job.task,
                "interval_id": _interval_id(job),
                "crontab_id": _crontab_id(job),
                "solar_id": None,
                "clocked_id": None,
                "one_off": False,
                "enabled": True,
                "args": "[]",
                "kwargs": "{}",
                "description": MANAGED,
            }
            row = PeriodicTask.objects.filter(name=job.name).first()
            if row is None:
                PeriodicTask.objects.create(name=job.name, **wanted)
                changes += 1
            elif any(getattr(row, field) != value for field, value in wanted.items()):
                for field, value in wanted.items():
                    setattr(row, field, value)
                row.save()
                changes += 1
        # One by one: PeriodicTask.delete() tells a running beat that its schedule changed.
        for row in PeriodicTask.objects.filter(description=MANAGED).exclude(
            name__in=[job.name for job in jobs]
        ):
            row.delete()
            changes += 1
    return changes


def _interval_id(job: Job) -> int | None:
    if job.every is None:
        return None
    seconds = int(job.every.total_seconds())
    fields = {"every": seconds, "period": IntervalSchedule.SECONDS}
    row = IntervalSchedule.objects.filter(**fields).order_by("id").first()
    return (row or IntervalSchedule.objects.create(**fields)).pk


def _crontab_id(job: Job) -> int | None:
    if job.daily_at is None:
        return None
    fields = {
        "minute": str(job.daily_at.minute),
        "hour": str(job.daily_at.hour),
        "day_of_week": "*",
        "day_of_month": "*",
        "month_of_year": "*",
        "timezone": settings.BUSINESS_TIME_ZONE,
    }
    row = CrontabSchedule.objects.filter(**fields).order_by("id").first()
    return (row or CrontabSchedule.objects.create(**fields)).pk


# --- In-process scheduler (embedded default) ------------------------------------------------


def run_job(job: Job) -> None:
    """Call the job's task here and now; a failure is logged, never raised to the scheduler."""
    try:
        import_string(job.task)()
    except Exception:
        logger.exception("Periodic job %s (%s) failed", job.name, job.task)


class InProcessScheduler:
    """Runs jobs when they are due by `clock`; the caller decides when to look (run_pending)."""

    def __init__(
        self,
        jobs: Sequence[Job],
        *,
        clock: Callable[[], datetime] = timezone.now,
        runner: Callable[[Job], None] = run_job,
    ):
        self.jobs = list(jobs)
        self._clock = clock
        self._runner = runner
        start = clock()
        # Like beat, a job first runs one period (or at its next daily time) after start.
        self.next_runs = {job.name: job.next_run_after(start) for job in self.jobs}

    def run_pending(self) -> list[Job]:
        """Run each job that is due, once even if several runs were missed; returns them."""
        now = self._clock()
        due = [job for job in self.jobs if self.next_runs[job.name] <= now]
        for job in due:
            self._runner(job)
            # From when it finished: a job slower than its period does not run back to back.
            self.next_runs[job.name] = job.next_run_after(self._clock())
        return due

    def seconds_until_next(self) -> float:
        if not self.next_runs:
            return float("inf")
        return max(0.0, (min(self.next_runs.values()) - self._clock()).total_seconds())


class SchedulerThread(threading.Thread):
    """A daemon thread that keeps an InProcessScheduler going until stop()."""

    # Look at the clock at least this often, so a suspended laptop catches up soon after waking.
    MAX_WAIT_SECONDS = 60.0

    def __init__(self, scheduler: InProcessScheduler):
        super().__init__(name="periodic-jobs", daemon=True)
        self.scheduler = scheduler
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.scheduler.run_pending()
            finally:
                # Connections are per thread; this one must not keep a stale or broken one.
                connections.close_all()
            self._stopping.wait(min(self.scheduler.seconds_until_next(), self.MAX_WAIT_SECONDS))

    def stop(self) -> None:
        self._stopping.set()


_thread: SchedulerThread | None = None
_thread_lock = threading.Lock()


def start_in_process_scheduler() -> SchedulerThread:
    """Start the scheduler thread for PERIODIC_JOBS, once per process.

    For the single-process embedded server only: with several processes each would run every
    job (harmless for the idempotent outbox sweep, wasteful for the rest). Services use beat.
    """
    global _thread
    with _thread_lock:
        if _thread is None or not _thread.is_alive():
            _thread = SchedulerThread(InProcessScheduler(PERIODIC_JOBS))
            _thread.start()
            names = ", ".join(job.name for job in PERIODIC_JOBS)
            logger.info("In-process scheduler started: %s", names)
        return _thread
