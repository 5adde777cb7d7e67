"""Reports and their review: the moderation queue hides upheld posts and leaves audit rows."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from backend.audit.models import AuditEntry
from backend.errors import NotAllowed
from media.models import Media
from posts import selectors, services
from posts.errors import InvalidReport, PostNotFound, ReportAlreadyReviewed
from posts.models import Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return UserFactory(username="operator", is_staff=True, is_superuser=True)


def test_one_report_per_reporter_and_post(cast, publish):
    """Reporting again returns the first report unchanged (created False)."""
    post = publish(cast.author)
    first, created = services.report_create(reporter=cast.stranger, post=post, reason="spam")
    again, created_again = services.report_create(
        reporter=cast.stranger, post=post, reason="other", note="still spam"
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert again.reason == "spam"


def test_unknown_reason_own_post_and_invisible_post_are_refused(cast, publish):
    """A reason outside Report.Reason, one's own post, and a post one cannot see are refused."""
    post = publish(cast.author)
    private = publish(cast.author, visibility="close_friends")
    with pytest.raises(InvalidReport):
        services.report_create(reporter=cast.stranger, post=post, reason="ugly")
    with pytest.raises(InvalidReport):
        services.report_create(reporter=cast.author, post=post, reason="spam")
    with pytest.raises(PostNotFound):
        services.report_create(reporter=cast.stranger, post=private, reason="spam")


def test_upholding_hides_the_post_for_everyone_but_its_author(cast, publish, operator):
    """An upheld report hides the post (its media lose their public URLs), settles the other
    open reports of that post, and leaves audit rows for the decision and the hiding."""
    post = publish(cast.author)
    report, _ = services.report_create(reporter=cast.stranger, post=post, reason="misleading")
    other, _ = services.report_create(reporter=cast.follower, post=post, reason="spam")
    services.report_review(report=report, operator=operator, uphold=True)

    post.refresh_from_db()
    assert post.hidden_at is not None
    with pytest.raises(PostNotFound):
        selectors.post_for_viewer(viewer=cast.stranger, post_id=post.pk)
    seen_by_author = selectors.post_for_viewer(viewer=cast.author, post_id=post.pk)
    assert selectors.post_view(seen_by_author, viewer=cast.author).hidden
    assert not Media.objects.get(pk=post.media_items.get().media_id).public
    assert set(Report.objects.values_list("status", flat=True)) == {"upheld"}
    other.refresh_from_db()
    assert other.reviewed_by == operator
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["posts.post_hidden", "posts.report_upheld", "posts.report_upheld"]


def test_dismissing_leaves_the_post_and_is_audited(cast, publish, operator):
    """A dismissed report changes nothing on the post; its decision is audited once."""
    post = publish(cast.author)
    report, _ = services.report_create(reporter=cast.stranger, post=post, reason="spam")
    services.report_review(report=report, operator=operator, uphold=False)
    post.refresh_from_db()
    assert post.hidden_at is None
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.after["status"]) == (
        "posts.report_dismissed",
        operator,
        "dismissed",
    )


def test_a_report_is_reviewed_once_and_by_staff_only(cast, publish, operator):
    """A second decision is refused (409), and so is a review by someone who is not staff."""
    post = publish(cast.author)
    report, _ = services.report_create(reporter=cast.stranger, post=post, reason="spam")
    with pytest.raises(NotAllowed):
        services.report_review(report=report, operator=cast.follower, uphold=True)
    services.report_review(report=report, operator=operator, uphold=False)
    with pytest.raises(ReportAlreadyReviewed):
        services.report_review(report=report, operator=operator, uphold=True)


def test_admin_queue_lists_open_reports_first_and_upholds_by_action(cast, publish, operator):
    """The admin's report list shows open reports before decided ones, and its "uphold" action
    hides the post."""
    old_post, new_post = publish(cast.author), publish(cast.author)
    decided, _ = services.report_create(reporter=cast.stranger, post=old_post, reason="spam")
    services.report_review(report=decided, operator=operator, uphold=False)
    waiting, _ = services.report_create(reporter=cast.follower, post=new_post, reason="spam")

    request = RequestFactory().get("/admin/posts/report/")
    request.user = operator
    model_admin = site._registry[Report]
    changelist = model_admin.get_changelist_instance(request)
    assert [report.pk for report in changelist.get_queryset(request)] == [waiting.pk, decided.pk]

    request._messages = _Messages()
    model_admin.uphold(request, Report.objects.filter(pk=waiting.pk))
    new_post.refresh_from_db()
    assert new_post.hidden_at is not None


class _Messages(list):
    """Collects what the admin action tells the operator."""

    def add(self, level, message, extra_tags=""):
        self.append(message)


def test_an_operator_can_unhide_a_post(cast, publish, operator):
    """Unhiding restores the post for its audience and its media's public URLs; audited."""
    post = publish(cast.author)
    report, _ = services.report_create(reporter=cast.stranger, post=post, reason="spam")
    services.report_review(report=report, operator=operator, uphold=True)
    services.post_unhide(post=post, operator=operator)
    assert selectors.post_for_viewer(viewer=cast.stranger, post_id=post.pk).pk == post.pk
    assert Media.objects.get(pk=post.media_items.get().media_id).public
    assert AuditEntry.objects.filter(action="posts.post_unhidden").count() == 1
    with pytest.raises(NotAllowed):
        services.post_unhide(post=post, operator=cast.stranger)
