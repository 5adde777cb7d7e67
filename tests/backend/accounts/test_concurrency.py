"""Races on PostgreSQL with real threads: double sign-ups and double follows stay single."""

import threading
import uuid

import pytest
from django.db import connection

from backend.accounts import services
from backend.accounts.errors import UsernameTaken
from backend.accounts.models import Block, Follow, User
from backend.events.models import Event
from tests.factories import UserFactory

pytestmark = [pytest.mark.services("postgres"), pytest.mark.django_db(transaction=True)]

THREADS = 6


def run_together(action) -> list:
    """Run `action` in THREADS threads released at the same instant; their results or errors."""
    barrier = threading.Barrier(THREADS)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(action())
        except Exception as exc:  # the test inspects every outcome
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_simultaneous_signups_for_one_name_make_one_account():
    """Of sign-ups racing for one username, one wins and the rest get username_taken."""
    results = run_together(
        lambda: services.user_register(
            username="lychee", email=f"{uuid.uuid4().hex}@example.com", password="orchard-Lychee-77"
        )
    )

    assert sum(isinstance(result, User) for result in results) == 1
    assert sum(isinstance(result, UsernameTaken) for result in results) == THREADS - 1
    assert User.objects.filter(username="lychee").count() == 1


def test_simultaneous_follows_make_one_follow_and_one_event():
    """The same follow sent many times at once is one follow, announced once."""
    ann, bo = UserFactory(), UserFactory()

    results = run_together(lambda: services.user_follow(follower=ann, followee=bo))

    assert sorted(results) == [False] * (THREADS - 1) + [True]
    assert Follow.objects.filter(follower=ann, followee=bo).count() == 1
    assert Event.objects.filter(name="user.followed").count() == 1


def test_a_follow_racing_a_block_never_survives_beside_it():
    """Follows and blocks between the same two people sent at once: a block always wins."""
    ann, bo = UserFactory(), UserFactory()

    def follow_or_block():
        if next(turns) % 2:
            return services.user_follow(follower=ann, followee=bo)
        return services.user_block(blocker=bo, blocked=ann)

    for _ in range(3):
        turns = iter(range(THREADS))
        run_together(follow_or_block)

        assert Block.objects.filter(blocker=bo, blocked=ann).exists()
        assert not Follow.objects.exists()
        services.user_unblock(blocker=bo, blocked=ann)
