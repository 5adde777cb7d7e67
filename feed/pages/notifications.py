"""The notifications page and the page where each kind is turned on or off.

Opening the list marks everything read (the badge of every open tab goes to 0); the lines that
were unread stay highlighted on the page just rendered. Later pages come by htmx (`?cursor=`).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from backend.api.errors import error_body
from backend.errors import ApplicationError
from feed.errors import InvalidCursor
from feed.models import Kind
from feed.notifications import selectors, services

# The picture of a line without people (the shop's news, your earnings).
ICONS = {"order": "cart", "commission": "earnings"}


def ago(moment: datetime.datetime, now: datetime.datetime) -> str:
    """Short enough for a phone's line: "just now", "5 min", "3 h", "2 d", then the date."""
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    if seconds < 7 * 86400:
        return f"{seconds // 86400} d"
    return date_format(timezone.localtime(moment), "j M Y")


def _rows(request, groups: list[selectors.Group]) -> list[dict]:
    now = timezone.now()
    return [
        {
            "group": group,
            "url": selectors.target_url(group, request.user),
            "icon": ICONS.get(group.target_type, "bell"),
            "ago": ago(group.created_at, now),
        }
        for group in groups
    ]


@login_required
@require_http_methods(["GET", "POST"])
def notifications_page(request):
    if request.method == "POST":
        # "Mark all read", for what arrived while the page was open.
        services.notifications_mark_read(user=request.user)
        if request.htmx:
            # notifications.js un-highlights the lines; live.js already got the count.
            return HttpResponse(status=204)
        return redirect("feed:notifications")
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.group_page(request.user, cursor=cursor)
    except InvalidCursor:
        return redirect("feed:notifications")
    context = {"rows": _rows(request, page.groups), "next_cursor": page.next_cursor}
    if cursor and request.htmx:
        return render(request, "feed/_notifications_page.html", context)
    services.notifications_mark_read(user=request.user)
    return render(request, "feed/notifications.html", context)


def _settings_context(request) -> dict:
    return {"kinds": selectors.kind_settings(request.user)}


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        enabled = request.POST.get("enabled") == "on"
        try:
            services.notification_kind_set(user=request.user, kind=kind, enabled=enabled)
        except ApplicationError as error:
            if request.htmx:
                # The API's error shape: app.js shows its message as a toast.
                return JsonResponse(error_body(error.code, error.message), status=error.status)
            messages.error(request, error.message)
            return redirect("feed:notification_settings")
        if request.htmx:
            setting = selectors.KindSetting(kind=kind, label=Kind(kind).label, enabled=enabled)
            return render(request, "feed/_kind_toggle.html", {"setting": setting})
        messages.success(request, "Saved.")
        return redirect("feed:notification_settings")
    return render(request, "feed/notification_settings.html", _settings_context(request))
