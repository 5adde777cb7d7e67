"""Reports of posts and their review by operators (the moderation queue lives in the admin)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.audit.services import audit_record
from backend.errors import NotAllowed
from posts.errors import InvalidReport, PostNotFound, ReportAlreadyReviewed
from posts.models import Post, PostMedia, Report
from posts.selectors import visible_posts
from posts.services import content

NOTE_MAX_LENGTH = Report._meta.get_field("note").max_length


def _invalid(field: str, message: str) -> InvalidReport:
    return InvalidReport(message, fields={field: [message]})


@transaction.atomic
def report_create(
    *, reporter: User, post: Post, reason: str, note: str = ""
) -> tuple[Report, bool]:
    """`reporter`'s report of a post they may see (PostNotFound otherwise), with a
    Report.Reason and an optional note. One report per reporter and post: asking again returns
    the first one unchanged. Returns (report, created)."""
    if reason not in Report.Reason.values:
        raise _invalid("reason", f"Choose one of: {', '.join(Report.Reason.values)}.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise _invalid("note", f"Keep the note to {NOTE_MAX_LENGTH} characters.")
    if not visible_posts(reporter).filter(pk=post.pk).exists():
        raise PostNotFound()
    if post.author_id == reporter.pk:
        raise InvalidReport("You cannot report your own post.")
    return Report.objects.get_or_create(
        post=post, reporter=reporter, defaults={"reason": reason, "note": note}
    )


def _decide(report: Report, *, status: str, operator: User, now) -> None:
    report.status = status
    report.reviewed_at = now
    report.reviewed_by = operator
    report.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    audit_record(
        actor=operator,
        action=f"posts.report_{status}",
        target=report,
        before={"status": Report.Status.OPEN},
        after={"status": status, "post": report.post_id, "reason": report.reason},
    )


@transaction.atomic
def report_review(*, report: Report, operator: User, uphold: bool) -> Report:
    """An operator's decision on an open report (ReportAlreadyReviewed, 409, otherwise).

    Upholding hides the post (hidden_at: gone for everyone but its author, its media no longer
    public) and settles every other open report of that post the same way; dismissing settles
    this report only. Each decision and the hiding leave an audit row. Staff only.
    """
    if not (operator.is_active and operator.is_staff):
        raise NotAllowed("Only operators review reports.")
    report = Report.objects.select_for_update().filter(pk=report.pk).first()
    if report is None or report.status != Report.Status.OPEN:
        raise ReportAlreadyReviewed()
    now = timezone.now()
    if not uphold:
        _decide(report, status=Report.Status.DISMISSED, operator=operator, now=now)
        return report
    post = Post.objects.select_for_update().get(pk=report.post_id)
    if post.hidden_at is None:
        post.hidden_at = now
        post.save(update_fields=["hidden_at"])
        audit_record(
            actor=operator,
            action="posts.post_hidden",
            target=post,
            before={"hidden_at": None},
            after={"hidden_at": now, "report": report.pk},
        )
        content.refresh_media_public(
            PostMedia.objects.filter(post=post).values_list("media_id", flat=True)
        )
    others = Report.objects.select_for_update().filter(post=post, status=Report.Status.OPEN)
    for each in [report, *others.exclude(pk=report.pk).order_by("pk")]:
        _decide(each, status=Report.Status.UPHELD, operator=operator, now=now)
    return report


@transaction.atomic
def post_unhide(*, post: Post, operator: User) -> Post:
    """An operator's reversal of a hiding: the post is visible again as its visibility says
    (its reports keep their decisions); audited. Staff only; a post not hidden is left as is."""
    if not (operator.is_active and operator.is_staff):
        raise NotAllowed("Only operators unhide posts.")
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.hidden_at is None:
        return post
    audit_record(
        actor=operator,
        action="posts.post_unhidden",
        target=post,
        before={"hidden_at": post.hidden_at},
        after={"hidden_at": None},
    )
    post.hidden_at = None
    post.save(update_fields=["hidden_at"])
    content.refresh_media_public(
        PostMedia.objects.filter(post=post).values_list("media_id", flat=True)
    )
    return post
