"""The feed's seed step: circles of friends around the demo people, their fresh posts, and
their likes, comments, mentions and follows on the demo user's posts, made through the
services (so the events make notifications); nothing more the second time."""

from __future__ import annotations

import pytest

from backend.accounts.models import CloseFriend, Follow, User
from backend.accounts.seed import seed_people
from feed.models import Kind, Notification
from feed.seed import PEOPLE, seed_social
from feed.timeline import home_cards
from posts import services
from posts.models import Comment, Like, Post

pytestmark = pytest.mark.django_db


def _quiet(line: str) -> None:
    """Seed steps log progress; the test does not need it."""


def _counts() -> tuple[int, ...]:
    models = (User, Follow, CloseFriend, Post, Like, Comment, Notification)
    return tuple(model.objects.count() for model in models)


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    """The accounts step's people, and a few posts of the demo user's to engage with."""
    with django_capture_on_commit_callbacks(execute=True):
        seed_people(log=_quiet)
    demo = User.objects.get(username="demo")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            services.post_create(
                author=demo,
                text=f"Demo post {number} #fruit",
                media_ids=[],
                visibility="public",
                status="published",
            )
    return demo


def test_seed_social_fills_the_demo_users_home_and_bell_and_adds_nothing_again(
    demo, django_capture_on_commit_callbacks
):
    """The new people exist in circles of mutual follows (the demo user's included) with fans
    it does not follow back; the demo user's home has the friends' fresh posts; its posts got
    likes and comments, and the events made like, comment, mention and follow notifications.
    A second run changes nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        seed_social(log=_quiet)

    usernames = {username for username, _, _ in PEOPLE}
    assert User.objects.filter(username__in=usernames).count() == len(usernames)
    kai = User.objects.get(username="kai_noodles")
    assert Follow.objects.filter(follower=demo, followee=kai).exists()
    assert Follow.objects.filter(follower=kai, followee=demo).exists()
    assert Follow.objects.filter(followee=demo, follower__username="bo_beekeeper").exists()
    assert not Follow.objects.filter(follower=demo, followee__username="bo_beekeeper").exists()
    home = home_cards(demo, cursor=None, limit=50).cards
    friends_posts = [card for card in home if card.author["username"] in usernames]
    assert len(friends_posts) >= 6
    assert {card.visibility for card in friends_posts} >= {"public", "friends", "close_friends"}
    demo_posts = Post.objects.filter(author=demo)
    assert Like.objects.filter(post__in=demo_posts).count() >= 10
    assert Comment.objects.filter(post__in=demo_posts).count() >= 6
    kinds = set(Notification.objects.filter(recipient=demo).values_list("kind", flat=True))
    assert {Kind.LIKE, Kind.COMMENT, Kind.MENTION, Kind.FOLLOW} <= kinds
    before = _counts()

    with django_capture_on_commit_callbacks(execute=True):
        seed_social(log=_quiet)

    assert _counts() == before


def test_seed_social_waits_for_the_demo_people():
    """Without the accounts step there is nobody to befriend: the step says so and stops."""
    lines = []

    seed_social(log=lines.append)

    assert not User.objects.exists()
    assert "missing" in lines[0]
