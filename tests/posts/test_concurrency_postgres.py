"""Likes, saves and comments under real concurrency (PostgreSQL, real threads, committed)."""

import threading

import pytest
from django.db import connections

from backend.events.models import Event
from posts import services
from posts.models import Like, Post
from tests.factories import UserFactory
from tests.factories_posts import PostFactory

pytestmark = [pytest.mark.services("postgres"), pytest.mark.django_db(transaction=True)]

THREADS = 20


def _run_in_threads(work) -> list:
    """Run work(i) in THREADS threads released together; returns the exceptions raised."""
    barrier = threading.Barrier(THREADS)
    errors: list = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except Exception as error:  # noqa: BLE001 - collected for the test to inspect
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_twenty_people_liking_at_once_count_exactly():
    """20 users liking one post at the same instant leave like_count 20, 20 likes, 20 events."""
    post = PostFactory()
    fans = [UserFactory() for _ in range(THREADS)]
    errors = _run_in_threads(lambda i: services.post_like(user=fans[i], post=post))
    assert errors == []
    assert Post.objects.get(pk=post.pk).like_count == THREADS
    assert Like.objects.filter(post=post).count() == THREADS
    assert Event.objects.filter(name="post.liked").count() == THREADS


def test_one_person_liking_from_twenty_tabs_counts_once():
    """The same user liking 20 times at once is one like, like_count 1, one event."""
    post = PostFactory()
    fan = UserFactory()
    errors = _run_in_threads(lambda _i: services.post_like(user=fan, post=post))
    assert errors == []
    assert Post.objects.get(pk=post.pk).like_count == 1
    assert Event.objects.filter(name="post.liked").count() == 1


def test_likes_and_unlikes_racing_never_go_below_zero():
    """Ten fans unliking while ten like: the count equals the likes left, never negative."""
    post = PostFactory()
    fans = [UserFactory() for _ in range(THREADS)]
    for fan in fans[: THREADS // 2]:
        services.post_like(user=fan, post=post)

    def work(index: int) -> None:
        if index < THREADS // 2:
            services.post_unlike(user=fans[index], post=post)
            services.post_unlike(user=fans[index], post=post)
        else:
            services.post_like(user=fans[index], post=post)

    assert _run_in_threads(work) == []
    post.refresh_from_db()
    assert post.like_count == Like.objects.filter(post=post).count() == THREADS // 2
