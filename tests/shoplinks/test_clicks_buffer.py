"""The click buffer, in memory and on Redis: flush() writes every buffered click exactly once,
keeps clicks pushed while it runs, survives a failed or rolled-back flush, and races safely."""

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test import override_settings

from shoplinks.clicks import buffer, writer
from shoplinks.models import AgentClass, Click
from tests.shoplinks.tap_support import new_link

# Committed for real: a batch leaves the buffer when the flush's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(
    params=["memory", pytest.param("redis", marks=pytest.mark.services("redis"))],
)
def store(request):
    """The buffer of the given kind, empty, on a key prefix of its own."""
    prefix = f"test-{uuid.uuid4().hex}"
    with override_settings(SHARE_CLICK_BUFFER=request.param, SHARE_CLICK_BUFFER_PREFIX=prefix):
        chosen = buffer.get_buffer()
        yield chosen
        if request.param == "redis":
            keys = list(chosen.client.scan_iter(f"{prefix}:*"))
            if keys:
                chosen.client.delete(*keys)
    buffer._buffers.clear()


def _record(link, **flags) -> tuple:
    return (
        uuid.uuid4().hex,
        link.pk,
        link.product_id,
        link.sharer_id,
        None,
        "visitor",
        time.time(),
        AgentClass.MOBILE,
        flags.get("bot", False),
        flags.get("duplicate", False),
        flags.get("limited", False),
    )


def test_flush_writes_every_click_once_and_empties_the_buffer(store):
    """Pushed clicks are written with their fields and flags; a second flush has nothing."""
    link = new_link()
    records = [_record(link), _record(link, bot=True), _record(link, duplicate=True)]
    for record in records:
        buffer.push(record)
    assert buffer.flush() == 3
    assert buffer.flush() == 0
    assert store.pending_count() == 0
    stored = {click.uid.hex: click for click in Click.objects.all()}
    assert set(stored) == {record[0] for record in records}
    assert [stored[r[0]].counted for r in records] == [True, False, False]
    assert stored[records[1][0]].is_bot
    assert stored[records[2][0]].is_duplicate
    assert stored[records[0][0]].sharer_id == link.sharer_id


def test_flushed_clicks_read_back_like_orm_rows(store):
    """The bulk writer stores times and ids as the ORM does: they read back equal and time
    filters (attribution's `clicked_at <= placed_at`) see them."""
    link = new_link()
    record = _record(link)
    buffer.push(record)
    buffer.flush()
    stored = Click.objects.get()
    assert stored.uid == uuid.UUID(record[0])
    assert stored.clicked_at == datetime.fromtimestamp(record[6], UTC)
    assert stored.visitor_id == "visitor"
    at = stored.clicked_at
    assert Click.objects.filter(clicked_at__lte=at, clicked_at__gt=at - timedelta(seconds=1))
    assert not Click.objects.filter(clicked_at__lt=at).exists()


def test_a_failed_flush_is_retried_without_duplicates(store, monkeypatch):
    """A flush that fails after writing part of a batch leaves it; the retry writes the rest
    and each click has exactly one row."""
    monkeypatch.setattr(buffer, "CHUNK", 10)
    link = new_link()
    for _ in range(30):
        buffer.push(_record(link))
    real, calls = writer.insert_clicks, []

    def failing_second_chunk(records):
        calls.append(len(records))
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(records)

    monkeypatch.setattr(writer, "insert_clicks", failing_second_chunk)
    with pytest.raises(RuntimeError):
        buffer.flush()
    assert Click.objects.count() == 10
    monkeypatch.setattr(writer, "insert_clicks", real)
    assert buffer.flush() == 30
    assert Click.objects.count() == 30
    assert store.pending_count() == 0


def test_a_flush_in_a_transaction_that_rolls_back_leaves_the_clicks(store):
    """Inside a transaction the clicks are visible at once; if it rolls back (a failing
    attribution handler), they stay buffered and the next flush writes them."""
    link = new_link()
    buffer.push(_record(link))
    seen_inside = []

    def flush_then_fail():
        with transaction.atomic():
            seen_inside.append((buffer.flush(), Click.objects.count()))
            raise RuntimeError("the handler failed after the flush")

    with pytest.raises(RuntimeError):
        flush_then_fail()
    assert seen_inside == [(1, 1)]
    assert Click.objects.count() == 0
    assert store.pending_count() == 1
    assert buffer.flush() == 1
    assert Click.objects.count() == 1


def test_clicks_pushed_during_a_flush_are_kept_for_the_next(store, monkeypatch):
    """Taps arriving while a flush writes are not in its batch and not lost."""
    link = new_link()
    buffer.push(_record(link))
    real, late = writer.insert_clicks, [_record(link), _record(link)]

    def push_meanwhile(records):
        for record in late:
            buffer.push(record)
        return real(records)

    monkeypatch.setattr(writer, "insert_clicks", push_meanwhile)
    assert buffer.flush() == 1
    monkeypatch.setattr(writer, "insert_clicks", real)
    assert store.pending_count() == 2
    assert buffer.flush() == 2
    assert set(Click.objects.values_list("uid", flat=True)) >= {uuid.UUID(r[0]) for r in late}
    assert Click.objects.count() == 3


def test_racing_flushes_and_pushes_write_each_click_exactly_once(store):
    """Threads push 600 clicks while three threads flush over and over: at the end every click
    has exactly one row."""
    link = new_link()
    pushed: list[str] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def pusher():
        for _ in range(200):
            record = _record(link)
            buffer.push(record)
            pushed.append(record[0])

    def flusher():
        try:
            while not stop.is_set():
                buffer.flush()
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    flushers = [threading.Thread(target=flusher) for _ in range(3)]
    pushers = [threading.Thread(target=pusher) for _ in range(3)]
    for thread in flushers + pushers:
        thread.start()
    for thread in pushers:
        thread.join()
    stop.set()
    for thread in flushers:
        thread.join()
    buffer.flush()
    assert errors == []
    assert len(pushed) == 600
    assert Click.objects.count() == 600
    assert set(Click.objects.values_list("uid", flat=True)) == {uuid.UUID(u) for u in pushed}


def test_two_flushes_of_the_same_batch_insert_it_once(store, monkeypatch):
    """Two flushes that both hold the same open batch (the lock timed out) give one row per
    click: the unique uid settles it."""
    monkeypatch.setattr(buffer, "LOCK_WAIT_SECONDS", 0)
    link = new_link()
    for _ in range(50):
        buffer.push(_record(link))
    barrier = threading.Barrier(2)
    real_chunks = store.chunks

    def read_then_meet(batch_id):
        # Both have read the whole batch before either writes (or drops) it.
        chunks = list(real_chunks(batch_id))
        barrier.wait(timeout=10)
        yield from chunks

    monkeypatch.setattr(store, "chunks", read_then_meet)

    handled: list[int | BaseException] = []

    def run():
        try:
            handled.append(buffer.flush())
        except BaseException as exc:  # a thread's failure must fail the test
            handled.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert handled == [50, 50]
    assert Click.objects.count() == 50
    assert store.pending_count() == 0


def test_the_periodic_job_flushes_and_is_scheduled_every_5_seconds(store):
    """shoplinks.flush_clicks runs the flush task every 5 seconds."""
    from datetime import timedelta

    from backend.scheduler import PERIODIC_JOBS
    from shoplinks.tasks import flush_clicks

    [job] = [job for job in PERIODIC_JOBS if job.name == "shoplinks.flush_clicks"]
    assert job.every == timedelta(seconds=5)
    assert job.task == "shoplinks.tasks.flush_clicks"
    buffer.push(_record(new_link()))
    assert flush_clicks() == 1
    assert Click.objects.count() == 1
