"""A post's page and what one does on it without leaving it (htmx): like, save, comment, report.

Each action endpoint calls one posts service and answers with the partial it changed; a plain
form post (no JavaScript) is redirected back to the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from backend.accounts.models import Visibility
from backend.api.errors import json_error
from backend.errors import ApplicationError, NotFound
from backend.web.context_processors import url_or_none
from posts import selectors, services
from posts.models import COMMENT_MAX_LENGTH, Post, Report
from posts.templatetags.posts_tags import picture
from posts.views.common import post_or_404, sign_in_first, view_of

# How often a page showing media still being processed asks again.
POLL_SECONDS = 2


def _processing(view) -> bool:
    return any(item["status"] == "processing" for item in view.media)


def _og_image(request, view) -> str | None:
    """The preview picture for chat apps: the first picture (or video poster) of a published,
    public, live post, whose media have plain URLs. Any other post gets none, so no signed
    URL of a private picture ever lands in a preview."""
    if view.visibility != Visibility.PUBLIC or view.status != Post.Status.PUBLISHED:
        return None
    if view.hidden:
        return None
    for item in view.media:
        url = picture(item)
        if url:
            return request.build_absolute_uri(url)
    return None


def _meta(request, view) -> dict:
    """Open Graph and Twitter card values for the post page."""
    return {
        "url": request.build_absolute_uri(reverse("posts:detail", args=[view.id])),
        "image": _og_image(request, view),
        "description": " ".join(view.text.split()),
    }


def _page_context(request, post, view) -> dict:
    return {
        "post": view,
        "meta": _meta(request, view),
        "share_url": url_or_none("shoplinks:post_share", post_id=view.id),
        "comments": selectors.comments_for(viewer=request.user, post=post),
        "collections": _collections(request),
        "reasons": Report.Reason.choices,
        "comment_max": COMMENT_MAX_LENGTH,
        "processing": _processing(view),
        "poll_seconds": POLL_SECONDS,
    }


@require_safe
def detail(request, post_id: int):
    post = post_or_404(request, post_id)
    view = view_of(request, post)
    return render(request, "posts/detail.html", _page_context(request, post, view))


@require_safe
def media(request, post_id: int):
    """The carousel alone: the page polls it while pictures are still being processed."""
    post = post_or_404(request, post_id)
    view = view_of(request, post)
    context = {"post": view, "processing": _processing(view), "poll_seconds": POLL_SECONDS}
    return render(request, "posts/_media.html", context)


def _back(post_id: int) -> str:
    return reverse("posts:detail", args=[post_id])


def _failed(request, error: ApplicationError, post_id: int) -> HttpResponse:
    if request.htmx:
        # The API's error shape: app.js shows its message as a toast.
        return json_error(error.status, error.code, error.message)
    messages.error(request, error.message)
    return redirect(_back(post_id))


def _actions(request, post_id: int) -> HttpResponse:
    if not request.htmx:
        return redirect(_back(post_id))
    post = post_or_404(request, post_id)
    context = {"post": view_of(request, post), "collections": _collections(request)}
    return render(request, "posts/_actions.html", context)


@require_http_methods(["POST", "DELETE"])
def like(request, post_id: int):
    """POST likes, DELETE (or POST with `undo`) unlikes; both idempotent."""
    if not request.user.is_authenticated:
        return sign_in_first(request, _back(post_id))
    post = post_or_404(request, post_id)
    undo = request.method == "DELETE" or "undo" in request.POST
    try:
        if undo:
            services.post_unlike(user=request.user, post=post)
        else:
            services.post_like(user=request.user, post=post)
    except ApplicationError as error:
        return _failed(request, error, post_id)
    return _actions(request, post_id)


@require_http_methods(["POST", "DELETE"])
def save(request, post_id: int):
    """POST saves (into the collection named by `collection` or `new_collection`, else just
    "Saved"); DELETE (or POST with `undo`) unsaves."""
    if not request.user.is_authenticated:
        return sign_in_first(request, _back(post_id))
    post = post_or_404(request, post_id)
    undo = request.method == "DELETE" or "undo" in request.POST
    name = (request.POST.get("new_collection") or request.POST.get("collection") or "").strip()
    try:
        if undo:
            services.post_unsave(user=request.user, post=post)
        else:
            services.post_save(user=request.user, post=post, collection=name or None)
    except ApplicationError as error:
        return _failed(request, error, post_id)
    return _actions(request, post_id)


def _collections(request) -> list:
    if not request.user.is_authenticated:
        return []
    return list(selectors.collections_of(user=request.user))


def _comments(request, post, *, changed: bool) -> HttpResponse:
    """The comments section; after a change also the action bar (its comment count), out of
    band. The post is read again: the counts moved in the database, not on `post`."""
    if changed:
        post = post_or_404(request, post.pk)
    context = {
        "post": view_of(request, post),
        "comments": selectors.comments_for(viewer=request.user, post=post),
        "comment_max": COMMENT_MAX_LENGTH,
        "oob_actions": changed,
        "collections": _collections(request) if changed else [],
    }
    return render(request, "posts/_comments.html", context)


@require_http_methods(["GET", "POST"])
def comments(request, post_id: int):
    """GET: the comments section; POST `text`: adds a comment and answers with the section."""
    if request.method == "POST" and not request.user.is_authenticated:
        return sign_in_first(request, _back(post_id))
    post = post_or_404(request, post_id)
    if request.method == "POST":
        try:
            services.comment_create(
                author=request.user, post=post, text=request.POST.get("text", "")
            )
        except ApplicationError as error:
            return _failed(request, error, post_id)
        if not request.htmx:
            return redirect(_back(post_id) + "#comments")
    return _comments(request, post, changed=request.method == "POST")


@require_POST
def comment_delete(request, post_id: int, comment_id: int):
    """Deletes a comment (its author or the post's author); others get the 404 page."""
    if not request.user.is_authenticated:
        return sign_in_first(request, _back(post_id))
    post = post_or_404(request, post_id)
    try:
        comment = selectors.comment_for(viewer=request.user, post=post, comment_id=comment_id)
        services.comment_delete(comment=comment, actor=request.user)
    except NotFound as error:
        raise Http404(error.message) from error
    except ApplicationError as error:
        return _failed(request, error, post_id)
    if not request.htmx:
        return redirect(_back(post_id) + "#comments")
    return _comments(request, post, changed=request.method == "POST")


@require_POST
def report(request, post_id: int):
    """Reports the post (a reason from Report.Reason and an optional note)."""
    if not request.user.is_authenticated:
        return sign_in_first(request, _back(post_id))
    post = post_or_404(request, post_id)
    reason = request.POST.get("reason", "")
    note = request.POST.get("note", "").strip()
    try:
        services.report_create(reporter=request.user, post=post, reason=reason, note=note)
    except ApplicationError as error:
        return _failed(request, error, post_id)
    if not request.htmx:
        messages.success(request, "Thanks: our team will look at this post.")
        return redirect(_back(post_id))
    return render(request, "posts/_reported.html")
