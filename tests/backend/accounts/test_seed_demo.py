"""`manage.py seed_demo`: believable people and a social graph, idempotently."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from backend.accounts import selectors, services
from backend.accounts.models import Block, CloseFriend, Follow, Mute, User
from backend.accounts.seed import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seed_only_up_to_this_app(monkeypatch):
    """Later apps' steps (posts draw and process pictures) have their own tests; leaving them
    out keeps these runs fast without changing what they check."""
    from backend.accounts.management.commands import seed_demo

    monkeypatch.setattr(seed_demo, "SEED_STEPS", ["backend.accounts.seed.seed_people"])


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count() for model in (User, Follow, Block, CloseFriend, Mute)
    }


def test_seed_twice_changes_nothing_the_second_time():
    """The second run finds everything in place and creates nothing."""
    seed()
    first = counts()

    seed()

    assert counts() == first
    assert first["User"] >= 10
    assert first["Follow"] >= 30


def test_seed_prints_how_to_sign_in_and_the_demo_user_can():
    """The output names the demo sign-in, and it works."""
    output = seed()

    assert f"{DEMO_USERNAME} / {DEMO_PASSWORD}" in output
    user = services.user_authenticate(username=DEMO_USERNAME, password=DEMO_PASSWORD, ip=None)
    assert user.username == DEMO_USERNAME


def test_seed_graph_has_friends_close_friends_and_a_block():
    """The demo user has mutual friends, close friends and has blocked one account."""
    seed()
    demo = User.objects.get(username=DEMO_USERNAME)

    assert len(selectors.friend_ids(demo)) >= 3
    assert selectors.close_friend_ids(demo)
    assert Block.objects.filter(blocker=demo).count() == 1


def test_seed_refuses_to_run_in_production(settings):
    """Known passwords never reach a production database."""
    settings.PRODUCTION = True

    with pytest.raises(CommandError):
        seed()
    assert not User.objects.exists()
