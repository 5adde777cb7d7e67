"""Domain events: the outbox, its dispatcher, the sweep, retries and the admin."""

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from backend.accounts.models import User
from backend.events import dispatcher, registry, tasks
from backend.events.errors import InvalidEvent
from backend.events.models import Event, HandlerRun
from backend.events.registry import subscribe, subscriber
from backend.events.services import events_retry, publish, publish_many


class Boom(Exception):
    pass


@pytest.fixture(autouse=True)
def clean_registry(monkeypatch):
    """Each test subscribes its own handlers; the apps' real ones are out of the way."""
    monkeypatch.setattr(registry, "_subscriptions", {})


@pytest.fixture
def calls():
    return []


def recorder(calls, label):
    def handler(event):
        calls.append((label, event.pk))

    return handler


def failing(calls, label, times=1_000):
    """A handler that writes a user, then fails its first `times` calls."""
    attempts = []

    def handler(event):
        attempts.append(event.pk)
        User.objects.create(username=f"{label}-{len(attempts)}")
        if len(attempts) <= times:
            raise Boom(f"{label} failed")
        calls.append((label, event.pk))

    return handler


def run_of(event, key):
    return HandlerRun.objects.get(event=event, handler=key)


def time_passes(delta):
    """As if `delta` had passed: events and retry times move that much into the past."""
    HandlerRun.objects.update(next_attempt_at=F("next_attempt_at") - delta)
    Event.objects.update(created_at=F("created_at") - delta)


@pytest.mark.django_db(transaction=True)
def test_handlers_run_after_commit_not_before(calls):
    """A handler runs once the publishing transaction commits, and not while it is open."""
    subscribe("order.paid", recorder(calls, "a"), key="a")
    with transaction.atomic():
        event = publish("order.paid", {"order": 1})
        assert calls == []
    assert calls == [("a", event.pk)]
    event.refresh_from_db()
    assert event.delivered_at is not None
    assert run_of(event, "a").status == HandlerRun.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_rollback_delivers_nothing(calls):
    """An event published in a transaction that rolls back is neither kept nor delivered."""
    subscribe("order.paid", recorder(calls, "a"), key="a")
    with transaction.atomic():
        publish("order.paid", {"order": 1})
        transaction.set_rollback(True)
    assert calls == []
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_publish_outside_a_transaction_commits_and_delivers(calls):
    """Called outside any transaction, publish opens its own and delivers right after it."""
    subscribe("order.paid", recorder(calls, "a"), key="a")
    event = publish("order.paid", {"order": 1})
    assert calls == [("a", event.pk)]


@pytest.mark.django_db(transaction=True)
def test_publish_many_delivers_each_event_once_after_commit_in_order(calls):
    """publish_many's events reach their handler after commit, once each, in payload order."""
    subscribe("order.completed", recorder(calls, "a"), key="a")
    with transaction.atomic():
        events = publish_many("order.completed", [{"order": 3}, {"order": 1}, {"order": 2}])
        assert calls == []
    assert [event.payload for event in events] == [{"order": 3}, {"order": 1}, {"order": 2}]
    assert calls == [("a", event.pk) for event in events]
    assert Event.objects.filter(delivered_at__isnull=False).count() == 3


@pytest.mark.django_db(transaction=True)
def test_publish_many_rollback_delivers_nothing(calls):
    """publish_many's events in a transaction that rolls back are neither kept nor delivered."""
    subscribe("order.completed", recorder(calls, "a"), key="a")
    with transaction.atomic():
        publish_many("order.completed", [{"order": 1}, {"order": 2}])
        transaction.set_rollback(True)
    assert calls == []
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_publish_many_writes_in_one_insert_and_queues_one_task(
    monkeypatch, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The batch is one INSERT, and commit queues one dispatch_events task with the ids in
    order."""
    queued = []
    monkeypatch.setattr(tasks.dispatch_events, "delay", queued.append)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        django_assert_num_queries(1),
    ):
        events = publish_many("order.completed", [{"order": n} for n in range(50)])
    assert len(callbacks) == 1
    assert queued == [[event.pk for event in events]]
    assert all(event.pk is not None for event in events)
    assert tasks.dispatch_events.name == "backend.events.tasks.dispatch_events"


@pytest.mark.django_db
def test_dispatch_events_keeps_going_past_an_event_it_cannot_dispatch(calls, monkeypatch):
    """One event the task cannot dispatch is left to the sweep; the others are delivered."""
    subscribe("order.completed", recorder(calls, "a"), key="a")
    with transaction.atomic():
        first, second = Event.objects.bulk_create(
            [Event(name="order.completed", payload={"order": n}) for n in (1, 2)]
        )
    real_dispatch = dispatcher.dispatch_event

    def dispatch(event_id):
        if event_id == first.pk:
            raise Boom("database hiccup")
        return real_dispatch(event_id)

    monkeypatch.setattr(dispatcher, "dispatch_event", dispatch)
    tasks.dispatch_events([first.pk, second.pk])
    assert calls == [("a", second.pk)]


@pytest.mark.parametrize(
    ("name", "payloads"),
    [
        ("order.completed", [{"order": 1}, {"amount": 1.5}]),
        ("order.completed", [{"order": 1}, ["not", "a", "dict"]]),
        ("Order.Completed", [{"order": 1}]),
        ("Order.Completed", []),
    ],
)
@pytest.mark.django_db
def test_publish_many_refuses_the_batch_before_writing(name, payloads, django_assert_num_queries):
    """A bad name or any one bad payload raises InvalidEvent before a single row is written."""
    with django_assert_num_queries(0), pytest.raises(InvalidEvent):
        publish_many(name, payloads)
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_publish_many_of_nothing_writes_nothing(django_capture_on_commit_callbacks):
    """An empty batch writes no row and queues no dispatch."""
    with django_capture_on_commit_callbacks() as callbacks:
        assert publish_many("order.completed", []) == []
    assert callbacks == []
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_handlers_run_in_subscription_order(calls, django_capture_on_commit_callbacks):
    """Handlers of one event run in the order they subscribed."""
    for label in ["first", "second", "third"]:
        subscribe("user.followed", recorder(calls, label), key=label)
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("user.followed", {"actor": 1, "target": 2})
    assert calls == [("first", event.pk), ("second", event.pk), ("third", event.pk)]


@pytest.mark.django_db
def test_without_eager_celery_commit_queues_the_dispatch_task(
    monkeypatch, django_capture_on_commit_callbacks
):
    """With a broker, commit queues backend.events.tasks.dispatch_event with the event's id."""
    queued = []
    monkeypatch.setattr(tasks.dispatch_event, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("order.placed", {"order": 1})
        assert queued == []
    assert queued == [event.pk]
    assert tasks.dispatch_event.name == "backend.events.tasks.dispatch_event"


@pytest.mark.django_db
def test_failing_handler_is_recorded_and_the_others_still_run(
    calls, settings, django_capture_on_commit_callbacks
):
    """A failing handler's writes are undone, its error recorded with a retry time, and the
    handlers after it still run; the event waits undelivered."""
    settings.EVENTS_RETRY_BASE_SECONDS = 30
    subscribe("order.paid", failing(calls, "flaky"), key="flaky")
    subscribe("order.paid", recorder(calls, "steady"), key="steady")
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("order.paid", {"order": 1})

    flaky = run_of(event, "flaky")
    assert flaky.status == HandlerRun.Status.FAILED
    assert flaky.attempts == 1
    assert "Boom: flaky failed" in flaky.last_error
    assert before + timedelta(seconds=30) <= flaky.next_attempt_at
    assert flaky.next_attempt_at <= timezone.now() + timedelta(seconds=30)
    assert not User.objects.filter(username__startswith="flaky").exists()
    assert calls == [("steady", event.pk)]
    event.refresh_from_db()
    assert event.delivered_at is None


@pytest.mark.django_db
def test_failed_handler_is_retried_by_the_sweep_once_due(
    calls, settings, django_capture_on_commit_callbacks
):
    """The sweep leaves a failed handler alone until its retry time, then runs it again; when
    it succeeds its writes are kept and the event is delivered."""
    settings.EVENTS_RETRY_BASE_SECONDS = 30
    settings.EVENTS_SWEEP_GRACE_SECONDS = 10
    subscribe("order.paid", failing(calls, "flaky", times=1), key="flaky")
    subscribe("order.paid", recorder(calls, "steady"), key="steady")
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("order.paid", {"order": 1})

    time_passes(timedelta(seconds=15))
    assert dispatcher.sweep_events() == 0
    time_passes(timedelta(seconds=20))
    assert dispatcher.sweep_events() == 1

    flaky = run_of(event, "flaky")
    assert (flaky.status, flaky.attempts) == (HandlerRun.Status.DONE, 2)
    assert User.objects.filter(username="flaky-2").exists()
    assert calls == [("steady", event.pk), ("flaky", event.pk)]
    event.refresh_from_db()
    assert event.delivered_at is not None


@pytest.mark.django_db
def test_handler_gives_up_after_max_attempts(calls, settings, django_capture_on_commit_callbacks):
    """After EVENTS_MAX_ATTEMPTS failures a handler has no next attempt and the sweep skips it."""
    settings.EVENTS_MAX_ATTEMPTS = 2
    subscribe("order.paid", failing(calls, "broken"), key="broken")
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("order.paid", {"order": 1})
    time_passes(timedelta(minutes=1))
    dispatcher.sweep_events()
    time_passes(timedelta(minutes=1))

    assert dispatcher.sweep_events() == 0
    broken = run_of(event, "broken")
    assert (broken.attempts, broken.next_attempt_at, broken.gave_up) == (2, None, True)


@pytest.mark.django_db
def test_operator_retry_runs_a_handler_that_gave_up(
    calls, settings, django_capture_on_commit_callbacks
):
    """events_retry runs failed handlers now, even after they gave up, and delivers the event."""
    settings.EVENTS_MAX_ATTEMPTS = 1
    subscribe("order.paid", failing(calls, "fixed-later", times=1), key="fixed")
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("order.paid", {"order": 1})
    assert run_of(event, "fixed").gave_up

    with django_capture_on_commit_callbacks(execute=True):
        assert events_retry(event_ids=[event.pk]) == 1

    assert run_of(event, "fixed").status == HandlerRun.Status.DONE
    event.refresh_from_db()
    assert event.delivered_at is not None


def test_retry_delay_doubles_up_to_the_cap(settings):
    """Retries wait base, 2×base, 4×base… and never more than the cap."""
    settings.EVENTS_RETRY_BASE_SECONDS = 30
    settings.EVENTS_RETRY_MAX_SECONDS = 200
    delays = [dispatcher.retry_delay(n).total_seconds() for n in range(1, 6)]
    assert delays == [30, 60, 120, 200, 200]


@pytest.mark.django_db
def test_sweep_delivers_an_event_the_dispatcher_never_saw(calls, settings):
    """An event whose after-commit dispatch never ran is delivered by the sweep once it is
    older than the grace period, and not before."""
    settings.EVENTS_SWEEP_GRACE_SECONDS = 10
    subscribe("order.paid", recorder(calls, "a"), key="a")
    # The test's transaction never commits, so the on-commit dispatch never runs.
    event = publish("order.paid", {"order": 1})

    assert dispatcher.sweep_events() == 0
    Event.objects.update(created_at=timezone.now() - timedelta(seconds=11))
    assert dispatcher.sweep_events() == 1

    assert calls == [("a", event.pk)]
    event.refresh_from_db()
    assert event.delivered_at is not None
    assert dispatcher.sweep_events() == 0


@pytest.mark.django_db
def test_sweep_keeps_going_past_an_event_it_cannot_dispatch(calls, monkeypatch):
    """An error dispatching one event is logged and the sweep goes on with the next."""
    subscribe("order.paid", recorder(calls, "a"), key="a")
    first = publish("order.paid", {"order": 1})
    second = publish("order.paid", {"order": 2})
    Event.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    real = dispatcher.dispatch_event

    def dispatch(event_id):
        if event_id == first.pk:
            raise Boom("database hiccup")
        return real(event_id)

    monkeypatch.setattr(dispatcher, "dispatch_event", dispatch)
    assert dispatcher.sweep_events() == 2
    assert calls == [("a", second.pk)]


@pytest.mark.django_db
def test_same_event_dispatched_twice_runs_each_handler_once(
    calls, django_capture_on_commit_callbacks
):
    """Dispatching a delivered event again runs nothing."""
    subscribe("order.paid", recorder(calls, "a"), key="a")
    subscribe("order.paid", recorder(calls, "b"), key="b")
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("order.paid", {"order": 1})

    assert dispatcher.dispatch_event(event.pk) is True
    assert calls == [("a", event.pk), ("b", event.pk)]
    assert {run.attempts for run in HandlerRun.objects.filter(event=event)} == {1}


@pytest.mark.django_db
def test_redispatch_of_an_undelivered_event_skips_done_handlers(
    calls, django_capture_on_commit_callbacks
):
    """While one handler still fails, dispatching again never re-runs the ones already done."""
    subscribe("order.paid", recorder(calls, "done"), key="done")
    subscribe("order.paid", failing(calls, "flaky"), key="flaky")
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("order.paid", {"order": 1})
    time_passes(timedelta(minutes=1))

    assert dispatcher.dispatch_event(event.pk) is False
    assert dispatcher.dispatch_event(event.pk) is False
    assert calls == [("done", event.pk)]
    assert run_of(event, "flaky").attempts == 2


@pytest.mark.django_db
def test_an_event_published_by_a_handler_is_delivered_with_its_writes(
    calls, django_capture_on_commit_callbacks
):
    """A handler's own publish goes out once its run commits, carrying the payload as written;
    a handler that fails after publishing publishes nothing."""

    def accrue(event):
        publish("commission.accrued", {"line": event.payload["line"], "amount": 150})

    def accrue_then_fail(event):
        publish("commission.accrued", {"line": -1, "amount": 0})
        raise Boom("after publishing")

    subscribe("attribution.decided", accrue, key="accrue")
    subscribe("attribution.decided", accrue_then_fail, key="accrue-then-fail")
    subscribe("commission.accrued", lambda event: calls.append(event.payload), key="notify")
    with django_capture_on_commit_callbacks(execute=True):
        publish("attribution.decided", {"line": 42})

    assert calls == [{"line": 42, "amount": 150}]
    assert Event.objects.filter(name="commission.accrued").count() == 1


@pytest.mark.django_db
def test_an_event_nobody_listens_to_is_delivered(django_capture_on_commit_callbacks):
    """An event without subscribers is marked delivered at once."""
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("post.liked", {"actor": 1, "target": 2})
    event.refresh_from_db()
    assert event.delivered_at is not None


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_concurrent_dispatchers_run_a_handler_once():
    """Eight dispatchers racing on one event on PostgreSQL run its handler exactly once."""
    runs = []
    lock = threading.Lock()

    def slow(event):
        with lock:
            runs.append(event.pk)
        # Holds the run's row lock long enough for the other dispatchers to pile up on it.
        time.sleep(0.2)
        User.objects.create(username=f"effect-{len(runs)}")

    subscribe("order.paid", slow, key="slow")
    event = Event.objects.create(name="order.paid", payload={"order": 1})
    start = threading.Barrier(8)
    errors = []

    def racer():
        try:
            start.wait()
            dispatcher.dispatch_event(event.pk)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert runs == [event.pk]
    assert User.objects.filter(username__startswith="effect-").count() == 1
    assert run_of(event, "slow").attempts == 1
    event.refresh_from_db()
    assert event.delivered_at is not None


@pytest.mark.parametrize(
    "payload",
    [
        {"amount": 12.5},
        {"amount": Decimal("12.50")},
        {"at": timezone.now()},
        {"lines": (1, 2)},
        {"lines": [{"sku": object()}]},
        {1: "not a string key"},
        ["not", "a", "dict"],
    ],
)
@pytest.mark.django_db
def test_publish_refuses_a_payload_that_would_not_read_back(payload):
    """Floats, Decimals, datetimes, tuples, objects, non-string keys and non-dicts are refused
    with a message naming the culprit, and nothing is written."""
    with pytest.raises(InvalidEvent, match="payload"):
        publish("order.paid", payload)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "name", ["", "paid", "Order.Paid", "order.", "order paid", "a." + "b" * 99]
)
@pytest.mark.django_db
def test_publish_refuses_a_malformed_name(name):
    """Event names are lower-case dotted words of at most 100 characters."""
    with pytest.raises(InvalidEvent, match="name"):
        publish(name, {})


def test_subscribing_the_same_handler_again_changes_nothing():
    """A second ready() subscribing the same handler under the same key adds nothing."""

    def handler(event):
        pass

    subscribe("order.paid", handler)
    subscribe("order.paid", handler)
    assert [s.key for s in registry.subscriptions_for("order.paid")] == [
        f"{__name__}.test_subscribing_the_same_handler_again_changes_nothing.<locals>.handler"
    ]


def test_two_handlers_under_one_key_are_refused():
    """Two different handlers cannot share a key: their run records would mix."""
    subscribe("order.paid", lambda event: None, key="shared")
    with pytest.raises(ImproperlyConfigured, match="shared"):
        subscribe("order.paid", lambda event: None, key="shared")


def test_subscriber_decorator_registers_and_returns_the_function():
    """@subscriber subscribes under the given key and leaves the function usable."""

    @subscriber("order.shipped", key="ship-notify")
    def notify(event):
        return "called"

    assert notify(None) == "called"
    [subscription] = registry.subscriptions_for("order.shipped")
    assert (subscription.key, subscription.handler) == ("ship-notify", notify)


@pytest.mark.django_db
def test_admin_lists_events_with_their_state(
    admin_client, calls, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """The events list shows each event's delivery state in a bounded number of queries."""
    subscribe("order.paid", failing(calls, "flaky"), key="flaky")
    with django_capture_on_commit_callbacks(execute=True):
        for order in range(5):
            publish("order.paid", {"order": order})
    with django_assert_max_num_queries(12):
        response = admin_client.get("/admin/events/event/")
    assert response.status_code == 200
    assert response.content.decode().count("1 handler(s) failing, retrying") == 5


@pytest.mark.django_db
def test_admin_shows_a_failed_run_with_its_error(
    admin_client, calls, django_capture_on_commit_callbacks
):
    """A failed handler run's page and list row show the error."""
    subscribe("order.paid", failing(calls, "flaky"), key="flaky")
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("order.paid", {"order": 1})
    run = run_of(event, "flaky")
    listing = admin_client.get("/admin/events/handlerrun/?status=failed")
    page = admin_client.get(f"/admin/events/handlerrun/{run.pk}/change/")
    assert "flaky failed" in listing.content.decode()
    assert "Traceback" in page.content.decode()


@pytest.mark.django_db
def test_admin_retry_action_redelivers(admin_client, calls, django_capture_on_commit_callbacks):
    """The admin's retry action runs a failed handler again at once."""
    subscribe("order.paid", failing(calls, "flaky", times=1), key="flaky")
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("order.paid", {"order": 1})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/events/event/",
            {"action": "retry_events", "_selected_action": [event.pk]},
        )
    assert response.status_code == 302
    assert calls == [("flaky", event.pk)]
    event.refresh_from_db()
    assert event.delivered_at is not None
