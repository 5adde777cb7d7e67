"""The periodic jobs: their one list, beat's tables, and the in-process scheduler."""

import logging
import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.utils.module_loading import import_string
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from backend import scheduler
from backend.scheduler import (
    MANAGED,
    PERIODIC_JOBS,
    InProcessScheduler,
    Job,
    SchedulerThread,
    run_job,
    sync_beat_schedule,
)

RECORDS = "tests.backend.test_scheduler.job_that_records"
FAILS = "tests.backend.test_scheduler.job_that_fails"
SWEEP = Job("test.sweep", RECORDS, every=timedelta(seconds=30))
REPORT = Job("test.report", RECORDS, daily_at=time(3, 0))

ran = []


def job_that_records():
    ran.append("recorded")


def job_that_fails():
    raise RuntimeError("job broke")


class FakeClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _forget_runs():
    ran.clear()


def test_every_job_names_a_celery_task_registered_under_that_name():
    """Beat sends jobs by task name, the in-process scheduler imports them by path: both agree."""
    assert len({job.name for job in PERIODIC_JOBS}) == len(PERIODIC_JOBS)
    for job in PERIODIC_JOBS:
        assert import_string(job.task).name == job.task


def test_the_outbox_sweep_is_scheduled():
    """The outbox sweep is among the periodic jobs, at least every minute."""
    [sweep] = [job for job in PERIODIC_JOBS if job.task == "backend.events.tasks.sweep_events"]
    assert sweep.every <= timedelta(minutes=1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"every": timedelta(seconds=30), "daily_at": time(3, 0)},
        {"every": timedelta(seconds=0)},
        {"every": timedelta(milliseconds=1500)},
        {"daily_at": time(3, 0, 30)},
        {"daily_at": time(3, 0, tzinfo=UTC)},
    ],
)
def test_a_job_needs_exactly_one_sound_schedule(kwargs):
    """A job has either a whole-second interval or a naive HH:MM, never both or neither."""
    with pytest.raises(ImproperlyConfigured):
        Job("bad", "x.y", **kwargs)


def test_interval_job_runs_one_period_later():
    """An interval job's next run is one period after the given moment."""
    assert SWEEP.next_run_after(utc(2026, 3, 10, 12, 0)) == utc(2026, 3, 10, 12, 0, 30)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 03:00 in Shanghai (UTC+8) is 19:00 UTC the day before.
        (utc(2026, 3, 10, 18, 0), utc(2026, 3, 10, 19, 0)),
        (utc(2026, 3, 10, 19, 0), utc(2026, 3, 11, 19, 0)),
        (utc(2026, 3, 10, 20, 0), utc(2026, 3, 11, 19, 0)),
        # 06:00 UTC on the 10th is 14:00 on the 10th in Shanghai: next is the 11th, 03:00.
        (utc(2026, 3, 10, 6, 0), utc(2026, 3, 10, 19, 0)),
    ],
)
def test_daily_job_runs_at_its_wall_clock_time_in_the_business_zone(settings, moment, expected):
    """A daily job's next run is the next HH:MM in BUSINESS_TIME_ZONE, strictly after now."""
    settings.BUSINESS_TIME_ZONE = "Asia/Shanghai"
    assert REPORT.next_run_after(moment) == expected


def test_daily_job_keeps_its_wall_clock_time_across_a_dst_change(settings):
    """Across a daylight-saving change the job stays at 03:00 local, so its UTC time moves."""
    settings.BUSINESS_TIME_ZONE = "Europe/Paris"
    first = REPORT.next_run_after(utc(2026, 3, 27, 12, 0))
    second = REPORT.next_run_after(first)
    assert (first, second) == (utc(2026, 3, 28, 2, 0), utc(2026, 3, 29, 1, 0))


def test_nothing_runs_before_it_is_due():
    """Right after start, and just before the first period ends, no job runs."""
    clock = FakeClock(utc(2026, 3, 10, 12, 0))
    jobs = InProcessScheduler([SWEEP], clock=clock, runner=lambda job: ran.append(job.name))
    assert jobs.run_pending() == []
    clock.advance(seconds=29)
    assert jobs.run_pending() == []
    assert ran == []
    assert jobs.seconds_until_next() == 1


def test_a_due_job_runs_and_is_rescheduled():
    """A due job runs once and its next run is one period after it ran."""
    clock = FakeClock(utc(2026, 3, 10, 12, 0))
    jobs = InProcessScheduler([SWEEP, REPORT], clock=clock, runner=lambda job: ran.append(job.name))
    clock.advance(seconds=30)
    assert jobs.run_pending() == [SWEEP]
    assert jobs.run_pending() == []
    assert ran == ["test.sweep"]
    assert jobs.next_runs["test.sweep"] == utc(2026, 3, 10, 12, 1)


def test_missed_runs_collapse_into_one():
    """After a long pause (a sleeping laptop) a job runs once, not once per missed period."""
    clock = FakeClock(utc(2026, 3, 10, 12, 0))
    jobs = InProcessScheduler([SWEEP], clock=clock, runner=lambda job: ran.append(job.name))
    clock.advance(hours=2)
    jobs.run_pending()
    assert ran == ["test.sweep"]
    assert jobs.next_runs["test.sweep"] == utc(2026, 3, 10, 14, 0, 30)


def test_daily_job_runs_once_a_day_at_its_time(settings):
    """A daily job runs at its business-zone time and then not again until the next day."""
    settings.BUSINESS_TIME_ZONE = "Asia/Shanghai"
    clock = FakeClock(utc(2026, 3, 10, 12, 0))
    jobs = InProcessScheduler([REPORT], clock=clock, runner=lambda job: ran.append(job.name))
    clock.now = utc(2026, 3, 10, 18, 59, 59)
    assert jobs.run_pending() == []
    clock.now = utc(2026, 3, 10, 19, 0)
    assert jobs.run_pending() == [REPORT]
    clock.now = utc(2026, 3, 11, 18, 0)
    assert jobs.run_pending() == []
    assert jobs.next_runs["test.report"] == utc(2026, 3, 11, 19, 0)


def test_a_failing_job_is_logged_and_not_raised(caplog):
    """A job that raises is logged with its name; the scheduler carries on."""
    failing = Job("test.fails", FAILS, every=SWEEP.every)
    with caplog.at_level(logging.ERROR, logger="backend.scheduler"):
        run_job(failing)
    assert "test.fails" in caplog.text
    assert "job broke" in caplog.text


def test_the_scheduler_thread_runs_due_jobs_past_a_failing_one():
    """The background thread runs every due job, a failing one included, until stopped."""
    clock = FakeClock(utc(2026, 3, 10, 12, 0))
    failing = Job("test.fails", FAILS, every=SWEEP.every)
    done = threading.Event()

    def runner(job):
        run_job(job)
        if job is SWEEP:
            done.set()

    thread = SchedulerThread(InProcessScheduler([failing, SWEEP], clock=clock, runner=runner))
    clock.advance(minutes=1)
    thread.start()
    try:
        assert done.wait(timeout=10)
    finally:
        thread.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert ran == ["recorded"]


def test_the_in_process_scheduler_starts_once_per_process(monkeypatch):
    """Starting the in-process scheduler twice gives the one running thread."""
    monkeypatch.setattr(scheduler, "PERIODIC_JOBS", [])
    monkeypatch.setattr(scheduler, "_thread", None)
    first = scheduler.start_in_process_scheduler()
    try:
        assert scheduler.start_in_process_scheduler() is first
        assert first.daemon
    finally:
        first.stop()
        first.join(timeout=10)


@pytest.mark.django_db
def test_sync_writes_the_jobs_into_beats_tables(settings):
    """Interval jobs get an interval schedule, daily ones a crontab in the business zone."""
    settings.BUSINESS_TIME_ZONE = "Asia/Shanghai"
    PeriodicTask.objects.all().delete()
    assert sync_beat_schedule([SWEEP, REPORT]) == 2

    sweep = PeriodicTask.objects.get(name="test.sweep")
    report = PeriodicTask.objects.get(name="test.report")
    assert (sweep.task, sweep.enabled, sweep.crontab) == (SWEEP.task, True, None)
    assert (sweep.interval.every, sweep.interval.period) == (30, IntervalSchedule.SECONDS)
    assert report.interval is None
    assert (report.crontab.hour, report.crontab.minute) == ("3", "0")
    assert str(report.crontab.timezone) == "Asia/Shanghai"


@pytest.mark.django_db
def test_sync_again_changes_nothing():
    """A second sync of the same jobs writes no row."""
    sync_beat_schedule([SWEEP, REPORT])
    changed_at = dict(PeriodicTask.objects.values_list("name", "date_changed"))
    counts = (PeriodicTask.objects.count(), IntervalSchedule.objects.count())

    assert sync_beat_schedule([SWEEP, REPORT]) == 0
    assert dict(PeriodicTask.objects.values_list("name", "date_changed")) == changed_at
    assert (PeriodicTask.objects.count(), IntervalSchedule.objects.count()) == counts


@pytest.mark.django_db
def test_sync_follows_changes_and_leaves_foreign_rows_alone():
    """A changed job is rewritten, a dropped job deleted, an operator's own row kept."""
    sync_beat_schedule([SWEEP, REPORT])
    every_hour = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.create(name="hand.made", task="x.y", interval=every_hour)
    sweep_daily = Job(SWEEP.name, SWEEP.task, daily_at=time(4, 30))

    assert sync_beat_schedule([sweep_daily]) == 2

    sweep = PeriodicTask.objects.get(name="test.sweep")
    assert (sweep.interval, sweep.crontab.hour, sweep.crontab.minute) == (None, "4", "30")
    assert not PeriodicTask.objects.filter(name="test.report").exists()
    assert PeriodicTask.objects.filter(name="hand.made").exists()


@pytest.mark.django_db
def test_migrate_syncs_the_schedule():
    """After migrate (its post_migrate signal) beat's tables hold every listed job."""
    PeriodicTask.objects.filter(description=MANAGED).delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    synced = set(PeriodicTask.objects.filter(description=MANAGED).values_list("name", flat=True))
    assert synced == {job.name for job in PERIODIC_JOBS}


@pytest.mark.django_db
def test_sync_schedule_command_is_idempotent(capsys):
    """`manage.py sync_schedule` run a second time changes nothing, and says so."""
    call_command("sync_schedule")
    call_command("sync_schedule")
    assert "0 row(s) created, changed or deleted" in capsys.readouterr().out.splitlines()[-1]
