"""Operators' read-only admin of share-link taps, filtered by flag."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories_commerce import ProductFactory
from tests.shoplinks.attribution_support import make_link, stored_click

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:shoplinks_click_changelist"


@pytest.fixture
def clicks():
    link = make_link(UserFactory(), ProductFactory())
    return {
        "counted": stored_click(link),
        "bot": stored_click(link, is_bot=True),
        "duplicate": stored_click(link, is_duplicate=True),
        "rate_limited": stored_click(link, is_rate_limited=True),
    }


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("any", {"bot", "duplicate", "rate_limited"}),
        ("bot", {"bot"}),
        ("duplicate", {"duplicate"}),
        ("rate_limited", {"rate_limited"}),
        ("none", {"counted"}),
    ],
)
def test_flag_filter_lists_the_matching_clicks(admin_client, clicks, flag, expected):
    """Each flag choice lists exactly the clicks carrying it."""
    response = admin_client.get(reverse(CHANGELIST), {"flag": flag})

    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert shown == {clicks[name].pk for name in expected}


def test_clicks_cannot_be_changed_or_deleted(admin_client, clicks):
    """The click log is evidence: no add, change or delete, even for a superuser."""
    click = clicks["bot"]
    assert admin_client.get(reverse("admin:shoplinks_click_add")).status_code == 403
    change = admin_client.post(reverse("admin:shoplinks_click_change", args=[click.pk]), {})
    assert change.status_code == 403
    delete = admin_client.post(reverse("admin:shoplinks_click_delete", args=[click.pk]), {})
    assert delete.status_code == 403
