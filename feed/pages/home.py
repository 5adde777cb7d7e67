"""The home page's cards, loaded by the shell's home page (backend.web) as htmx fragments.

Page 1 (no cursor) is the whole grid, or a friendly empty state with people to follow right
there; later pages (`?cursor=`) are only the next cards and the next sentinel, which loads
them when it scrolls into view and replaces itself with them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from backend.accounts import selectors as accounts
from feed import people
from feed.errors import InvalidCursor
from feed.timeline import HOME_PAGE_SIZE
from feed.timeline import home_cards as timeline_cards

# People offered on an empty home, to get a newcomer's feed going.
EMPTY_SUGGESTIONS = 6


@login_required
@require_safe
def home_cards(request):
    cursor = request.GET.get("cursor") or None
    try:
        page = timeline_cards(request.user, cursor=cursor, limit=HOME_PAGE_SIZE)
    except InvalidCursor as error:
        return HttpResponse(error.message, status=error.status, content_type="text/plain")
    url = reverse("feed:home_cards")
    context = {
        "cards": page.cards,
        "next_url": f"{url}?{urlencode({'cursor': page.next_cursor})}"
        if page.next_cursor
        else None,
    }
    if cursor is not None:
        return render(request, "feed/_home_cards.html", context)
    if not page.cards:
        context["follows_anyone"] = accounts.follow_counts(request.user).following > 0
        context["suggestions"] = people.suggestions(request.user, limit=EMPTY_SUGGESTIONS)
    return render(request, "feed/_home_grid.html", context)
