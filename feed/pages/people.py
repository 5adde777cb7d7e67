"""The "people you may know" page: suggestions with a follow button each (feed.people)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from feed import people

SHOWN = 30


@login_required
@require_safe
def suggestions_page(request):
    context = {"suggestions": people.suggestions(request.user, limit=SHOWN)}
    return render(request, "feed/people_suggested.html", context)
