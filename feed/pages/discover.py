"""Discover, hashtag and "friends who bought this" pages, and the privacy choice behind the
latter.

`/discover` is the card grid of the home feed under a row of category chips. A chip is a plain
link (`?category=`) that htmx turns into a swap of the chips and grid only, pushing the URL so
the chip state survives a reload or a shared link; later pages (`?cursor=`) are only the next
cards and the sentinel that loads them when scrolled into view. `/tags/<name>` is the same
grid, newest first. `/products/<id>/bought` is the fragment the product page loads into its
"friends who bought this" slot: empty for a visitor or when no friend bought it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_safe

from backend.errors import ApplicationError
from feed.discover import chips as discover_chips
from feed.discover import privacy
from feed.discover.buyers import friends_who_bought
from feed.discover.hashtags import hashtag_page
from feed.discover.ranking import discover_page
from feed.models import DiscoverEntry
from feed.timeline import HOME_PAGE_SIZE
from posts import selectors as posts


def _error(error: ApplicationError) -> HttpResponse:
    return HttpResponse(error.message, status=error.status, content_type="text/plain")


def _next_url(url: str, cursor: str | None, **params) -> str | None:
    return f"{url}?{urlencode({**params, 'cursor': cursor})}" if cursor else None


@require_safe
def discover(request):
    category = request.GET.get("category") or DiscoverEntry.ALL
    cursor = request.GET.get("cursor") or None
    chips = discover_chips.chips()
    if not any(chip.slug == category for chip in chips):
        if cursor is not None:
            return HttpResponse("Unknown category.", status=400, content_type="text/plain")
        category = DiscoverEntry.ALL
    try:
        page = discover_page(request.user, category=category, cursor=cursor, limit=HOME_PAGE_SIZE)
    except ApplicationError as error:
        return _error(error)
    context = {
        "cards": posts.post_views(page.posts, viewer=request.user),
        "next_url": _next_url(reverse("feed:discover"), page.next_cursor, category=category),
        "chips": chips,
        "category": category,
    }
    if cursor is not None:
        return render(request, "feed/_discover_cards.html", context)
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "feed/_discover_feed.html", context)
    return render(request, "feed/discover.html", context)


@require_safe
def hashtag(request, hashtag: str):
    cursor = request.GET.get("cursor") or None
    try:
        page = hashtag_page(request.user, hashtag=hashtag, cursor=cursor, limit=HOME_PAGE_SIZE)
    except ApplicationError as error:
        if cursor is not None or request.htmx:
            return _error(error)
        return render(request, "feed/hashtag.html", {"invalid": True}, status=error.status)
    context = {
        "hashtag": page.hashtag,
        "cards": posts.post_views(page.posts, viewer=request.user),
        "next_url": _next_url(reverse("feed:tag", args=[page.hashtag]), page.next_cursor),
    }
    if cursor is not None:
        return render(request, "feed/_hashtag_cards.html", context)
    return render(request, "feed/hashtag.html", context)


@require_safe
def product_buyers(request, product_id: int):
    buyers = friends_who_bought(request.user, product_id)
    if not buyers.count:
        return HttpResponse("")
    return render(
        request, "feed/_buyers.html", {"buyers": buyers, "more": buyers.count - len(buyers.faces)}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def privacy_settings(request):
    if request.method == "POST":
        show = request.POST.get("show_purchases") == "on"
        privacy.set_shows_purchases(user=request.user, show=show)
        if request.htmx:
            return render(request, "feed/_discover_privacy_toggle.html", {"show_purchases": show})
        messages.success(request, "Saved.")
        return redirect("feed:privacy")
    return render(
        request,
        "feed/discover_privacy.html",
        {"show_purchases": privacy.shows_purchases(request.user)},
    )
