"""The operators' admin for users and the graph."""

import pytest
from django.urls import reverse

from backend.accounts.models import User
from tests.factories import BlockFactory, FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = UserFactory(username="op", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize("model", ["user", "follow", "block", "mute", "closefriend"])
def test_admin_lists_open(client, operator, model):
    """Every accounts model's admin list opens."""
    FollowFactory()
    BlockFactory()

    assert client.get(reverse(f"admin:accounts_{model}_changelist")).status_code == 200


def test_admin_user_page_shows_profile_fields(client, operator):
    """The user's admin page edits the profile fields too."""
    user = UserFactory(bio="Baker")

    html = client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()

    assert 'name="display_name"' in html
    assert 'name="bio"' in html


def test_admin_anonymise_action(client, operator):
    """Operators can delete (anonymise) accounts from the list."""
    user = UserFactory()

    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "anonymise", "_selected_action": [user.pk]},
    )

    assert User.objects.get(pk=user.pk).anonymised_at is not None
