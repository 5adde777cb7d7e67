"""factory_boy factories shared by the whole suite.

Every app adds its factories here (or in a module next to its tests that imports these).
Users all get the password `DEFAULT_PASSWORD`.
"""

from functools import cache

import factory
from django.contrib.auth.hashers import make_password

from backend.accounts.models import Block, CloseFriend, Follow, Mute, User

DEFAULT_PASSWORD = "pass-word-123!"


@cache
def _default_password_hash() -> str:
    # Argon2 is deliberately slow; hashing once per test process keeps factories fast while
    # every user still signs in with DEFAULT_PASSWORD through the real hasher.
    return make_password(DEFAULT_PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    display_name = factory.Faker("name")
    password = factory.LazyFunction(_default_password_hash)


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    follower = factory.SubFactory(UserFactory)
    followee = factory.SubFactory(UserFactory)


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    blocker = factory.SubFactory(UserFactory)
    blocked = factory.SubFactory(UserFactory)


class MuteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mute

    muter = factory.SubFactory(UserFactory)
    muted = factory.SubFactory(UserFactory)


class CloseFriendFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CloseFriend

    owner = factory.SubFactory(UserFactory)
    friend = factory.SubFactory(UserFactory)
