"""Operators' admin: the moderation queue of reports (open ones first, decided through audited
actions, never the edit form) and read-only views of posts and comments."""

from django.contrib import admin, messages
from django.db.models import Case, Value, When

from backend.admin_readonly import ReadOnlyAdmin, ReadOnlyInline
from backend.errors import ApplicationError
from posts.models import Comment, Post, PostMedia, ProductTag, Report
from posts.services import post_unhide, report_review


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("id", "post", "reason", "status", "reporter", "created_at", "reviewed_by")
    list_filter = ("status", "reason")
    search_fields = ("post__id", "reporter__username", "note")
    list_select_related = ("post", "reporter", "reviewed_by")
    fields = (
        "post",
        "post_text",
        "reporter",
        "reason",
        "note",
        "status",
        "created_at",
        "reviewed_at",
        "reviewed_by",
    )
    readonly_fields = fields
    actions = ["uphold", "dismiss"]

    def get_queryset(self, request):
        # The queue: open reports first, oldest first (waiting longest); decided ones after.
        open_first = Case(When(status=Report.Status.OPEN, then=Value(0)), default=Value(1))
        # Not super(): it orders by get_ordering() before the annotation exists.
        queue = Report.objects.annotate(queue=open_first)
        return queue.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["queue", "created_at", "id"]

    @admin.display(description="Post text")
    def post_text(self, report: Report) -> str:
        return report.post.text

    def _review(self, request, queryset, *, uphold: bool) -> None:
        done = 0
        for report in queryset.filter(status=Report.Status.OPEN):
            try:
                report_review(report=report, operator=request.user, uphold=uphold)
            except ApplicationError as error:
                self.message_user(request, f"Report #{report.pk}: {error.message}", messages.ERROR)
            else:
                done += 1
        verb = "upheld (posts hidden)" if uphold else "dismissed"
        self.message_user(request, f"{done} report(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Uphold: hide the reported posts")
    def uphold(self, request, queryset):
        self._review(request, queryset, uphold=True)

    @admin.action(description="Dismiss the selected reports")
    def dismiss(self, request, queryset):
        self._review(request, queryset, uphold=False)


class PostMediaInline(ReadOnlyInline):
    model = PostMedia
    fields = ("position", "media", "alt_text")
    readonly_fields = fields


class ProductTagInline(ReadOnlyInline):
    model = ProductTag
    fields = ("position", "product", "sku", "media", "x", "y")
    readonly_fields = fields


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ("reporter", "reason", "note", "status", "created_at")
    readonly_fields = fields


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "author",
        "status",
        "visibility",
        "published_at",
        "like_count",
        "comment_count",
        "hidden_at",
        "deleted_at",
    )
    list_filter = ("status", "visibility")
    search_fields = ("id", "author__username", "text")
    list_select_related = ("author",)
    date_hierarchy = "created_at"
    inlines = [PostMediaInline, ProductTagInline, ReportInline]
    actions = ["unhide"]

    @admin.action(description="Unhide: show the selected hidden posts again")
    def unhide(self, request, queryset):
        hidden = queryset.filter(hidden_at__isnull=False)
        for post in hidden:
            post_unhide(post=post, operator=request.user)
        self.message_user(request, f"{len(hidden)} post(s) shown again.", messages.SUCCESS)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("id", "post", "author", "created_at", "deleted_at")
    search_fields = ("text", "author__username")
    list_select_related = ("author",)
