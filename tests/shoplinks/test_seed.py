"""The demo share-links seed step: links for the demo authors' tagged posts (and the main
sharer's re-shares), taps with every flag, and purchases attributed with every reason a sharer
can read; nothing more the second time."""

from __future__ import annotations

import pytest

from backend.accounts.models import User
from backend.accounts.seed import seed_people
from commerce.models import Order
from commerce.seed import seed_shop
from posts.seed import seed_posts
from shoplinks.models import Click, Decision, Reason, ShareLink
from shoplinks.seed import seed_links


def _quiet(line: str) -> None:
    """Seed steps log progress; the test does not need it."""


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (ShareLink, Click, Decision, Order))


@pytest.mark.django_db
def test_seed_links_tells_every_story_once(django_capture_on_commit_callbacks):
    """After people, shop and posts: every demo author has links, the demo user (the account
    to look around with) has several including re-shares of friends' posts; taps are counted
    or flagged as bot, repeat and rate-limited; once the step's transaction commits, the demo
    user's decisions cover credited, self-purchase, window expired, flagged tap and a later
    tap on another sharer's link. A second run adds nothing."""
    seed_people(log=_quiet)
    seed_shop(log=_quiet)
    seed_posts(log=_quiet)

    with django_capture_on_commit_callbacks(execute=True):
        seed_links(log=_quiet)

    demo = User.objects.get(username="demo")
    mine = ShareLink.objects.filter(sharer=demo)
    assert mine.count() >= 5
    assert mine.exclude(post__author=demo).exists()
    assert ShareLink.objects.values("sharer").distinct().count() >= 8
    assert Click.objects.filter(counted=True).count() > 50
    assert Click.objects.filter(is_bot=True, counted=False).exists()
    assert Click.objects.filter(is_duplicate=True, counted=False).exists()
    assert Click.objects.filter(is_rate_limited=True, is_bot=False, counted=False).exists()
    reasons = set(Decision.objects.filter(sharer=demo).values_list("reason", flat=True))
    assert reasons == {
        Reason.CREDITED,
        Reason.SELF_PURCHASE,
        Reason.WINDOW_EXPIRED,
        Reason.FLAGGED_CLICK,
        Reason.LATER_CLICK_BY_OTHER_SHARER,
    }
    assert Decision.objects.filter(reason=Reason.CREDITED).exclude(sharer=demo).exists()
    before = _counts()

    with django_capture_on_commit_callbacks(execute=True):
        seed_links(log=_quiet)

    assert _counts() == before
