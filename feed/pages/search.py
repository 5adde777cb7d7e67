"""The search page (`feed:search`, /search): a search box, tabs Posts / Products / People, a sort
for posts, results as you type.

One view serves three things so the URL always says what is shown (and a reload or a shared link
shows the same): the whole page; with htmx, the body under the box (tabs, sort, results) as
the box is typed into or a tab or sort is tapped; and with htmx and `page` > 1, only the next
results and the next infinite-scroll sentinel. Anyone may search: visitors find public content.
A query the search refuses (too long) is said in the page and changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from feed import search
from posts.selectors.search import SORTS

TABS = (("posts", "Posts"), ("products", "Products"), ("users", "People"))
SORT_LABELS = {"best": "Best", "newest": "Newest", "likes": "Most liked", "saves": "Most saved"}


def _choice(value: str | None, allowed, default: str) -> str:
    return value if value in allowed else default


def _page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return number if 1 <= number <= search.MAX_PAGES else 1


def _url(**params) -> str:
    return f"{reverse('feed:search')}?{urlencode(params)}"


@require_safe
def search_page(request):
    raw = request.GET.get("q") or ""
    kind = _choice(request.GET.get("type"), search.KINDS, "posts")
    sort = _choice(request.GET.get("sort"), SORTS, "best")
    page_number = _page_number(request.GET.get("page"))
    query = " ".join(raw.split())
    context = {
        "query": raw[: settings.SEARCH_QUERY_MAX_LENGTH * 2],
        "kind": kind,
        "sort": sort,
        "max_length": settings.SEARCH_QUERY_MAX_LENGTH,
        "tabs": [(value, label, _url(q=query, type=value)) for value, label in TABS],
        "sorts": [
            (value, SORT_LABELS[value], _url(q=query, type="posts", sort=value)) for value in SORTS
        ],
        "page": None,
        "error": None,
    }
    if query:
        try:
            page = search.search(request.user, query=query, kind=kind, sort=sort, page=page_number)
        except search.InvalidSearch as error:
            context["error"] = error.message
        else:
            context["page"] = page
            if page.has_next:
                context["next_url"] = _url(q=query, type=kind, sort=sort, page=page_number + 1)
    if request.htmx and page_number > 1:
        return render(request, "feed/_search_items.html", context)
    if request.htmx:
        return render(request, "feed/_search_body.html", context)
    return render(request, "feed/search.html", context)
