"""The posts tests' cast (an author and people at every distance from them), a shop product to
tag, API clients per user, and a `publish` helper that goes through the real service."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from backend.accounts.models import User
from posts import services
from tests.factories import BlockFactory, CloseFriendFactory, FollowFactory, UserFactory
from tests.factories_commerce import SKUFactory
from tests.factories_posts import MediaFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Files land in a fresh directory per test; request throttles stay out of the way."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": "/media/"},
        },
    }
    settings.API_THROTTLE = False
    return root


@dataclass
class Cast:
    """`author` and one person per relation to them. The close friend does not follow the
    author (so close_friends is told apart from followers); the author blocked `blocked`."""

    author: User
    stranger: User
    follower: User
    friend: User
    close_friend: User
    blocked: User


@pytest.fixture
def cast(db) -> Cast:
    people = Cast(
        author=UserFactory(username="author"),
        stranger=UserFactory(username="stranger"),
        follower=UserFactory(username="follower"),
        friend=UserFactory(username="friend"),
        close_friend=UserFactory(username="close"),
        blocked=UserFactory(username="blocked"),
    )
    FollowFactory(follower=people.follower, followee=people.author)
    FollowFactory(follower=people.friend, followee=people.author)
    FollowFactory(follower=people.author, followee=people.friend)
    CloseFriendFactory(owner=people.author, friend=people.close_friend)
    BlockFactory(blocker=people.author, blocked=people.blocked)
    return people


@pytest.fixture
def product(db):
    """An active product of an active shop, with one active SKU at 12.50."""
    return SKUFactory(price=1250).product


@pytest.fixture
def client_for():
    """`client_for(user)`: an API client signed in as `user` (None: not signed in)."""

    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def publish():
    """`publish(author, images=1, **fields)`: a post made by `services.post_create` with
    `images` fresh pictures of the author's (defaults: public, published, some text)."""

    def make(author: User, *, images: int = 1, **fields):
        media = [MediaFactory(owner=author) for _ in range(images)]
        values = {
            "text": "Mangoes from the market #mango",
            "media_ids": [item.pk for item in media],
            "visibility": "public",
            "status": "published",
        }
        values.update(fields)
        return services.post_create(author=author, **values)

    return make
