"""Card grids that other pages load as htmx fragments: a profile's posts (with the owner's saved
posts, collections and drafts) and a product page's "posts about this product".

Every grid is paginated the same way: page 1 is the whole panel, later pages are only the next
cards plus the next "load more" button, which replaces itself with them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from backend.accounts import selectors as accounts
from backend.accounts.errors import UserNotFound
from backend.errors import NotFound
from posts import selectors
from posts.views.common import page_number

PAGE_SIZE = 12
PRODUCT_PAGE_SIZE = 6


def _grid(request, posts, *, url: str, size: int = PAGE_SIZE, extra: dict | None = None):
    """Renders one page of `posts` (a queryset or list) as cards: the whole panel on page 1,
    the next cards alone after it."""
    page = Paginator(posts, size).get_page(page_number(request))
    context = {
        "cards": selectors.post_views(list(page.object_list), viewer=request.user),
        "next_url": f"{url}?page={page.next_page_number()}" if page.has_next() else None,
        "panel_url": url,
        **(extra or {}),
    }
    if page.number > 1:
        return render(request, "posts/_grid_items.html", context)
    return render(request, context.pop("template", "posts/_grid.html"), context)


def _tabs(request, username: str, current: str) -> list[dict]:
    tabs = [("posts", "Notes", reverse("posts:profile_grid", args=[username]))]
    if request.user.is_authenticated and request.user.username == username:
        tabs += [
            ("saved", "Saved", reverse("posts:saved")),
            ("collections", "Collections", reverse("posts:saved") + "?view=collections"),
            ("drafts", "Drafts", reverse("posts:drafts")),
        ]
    return [
        {"key": key, "label": label, "url": url, "current": key == current}
        for key, label, url in tabs
    ]


@require_safe
def profile_grid(request, username: str):
    """The posts of `username` the viewer may see, newest first (the profile page's slot)."""
    try:
        author = accounts.user_by_username(username)
    except UserNotFound as error:
        raise Http404(error.message) from error
    posts = selectors.user_posts(viewer=request.user, author=author)
    is_owner = request.user.is_authenticated and request.user.pk == author.pk
    extra = {
        "template": "posts/_profile_posts.html",
        "tabs": _tabs(request, author.username, "posts"),
        "empty_title": "Nothing shared yet" if is_owner else f"{author.name} has not shared yet",
        "empty_text": "Your first post is one tap away." if is_owner else "",
        "compose_url": reverse("posts:compose") if is_owner else None,
    }
    url = reverse("posts:profile_grid", args=[author.username])
    return _grid(request, posts, url=url, extra=extra)


@login_required
@require_safe
def saved(request):
    """The signed-in user's saved posts, or (`?view=collections`) their collections."""
    user = request.user
    if request.GET.get("view") == "collections":
        context = {
            "tabs": _tabs(request, user.username, "collections"),
            "collections": selectors.collections_of(user=user),
        }
        return render(request, "posts/_collections.html", context)
    extra = {
        "template": "posts/_profile_posts.html",
        "tabs": _tabs(request, user.username, "saved"),
        "empty_title": "Nothing saved yet",
        "empty_text": "Tap the bookmark on a post to keep it here.",
    }
    posts = selectors.saved_posts(user=user)
    return _grid(request, posts, url=reverse("posts:saved"), extra=extra)


@login_required
@require_safe
def collection(request, collection_id: int):
    user = request.user
    try:
        chosen = selectors.collection_of(user=user, collection_id=collection_id)
    except NotFound as error:
        raise Http404(error.message) from error
    extra = {
        "template": "posts/_profile_posts.html",
        "tabs": _tabs(request, user.username, "collections"),
        "heading": chosen.name,
        "empty_title": f"Nothing in {chosen.name} yet",
        "empty_text": "Save a post into this collection and it shows up here.",
    }
    posts = selectors.saved_posts(user=user, collection=chosen)
    url = reverse("posts:collection", args=[chosen.pk])
    return _grid(request, posts, url=url, extra=extra)


@login_required
@require_safe
def drafts(request):
    user = request.user
    extra = {
        "template": "posts/_profile_posts.html",
        "tabs": _tabs(request, user.username, "drafts"),
        "empty_title": "No drafts",
        "empty_text": "Save a post as a draft to finish it later.",
    }
    return _grid(request, selectors.drafts(user=user), url=reverse("posts:drafts"), extra=extra)


@require_safe
def product_posts(request, product_id: int):
    """ "Posts about this product" on the product page: most engaging first."""
    posts = selectors.product_posts(viewer=request.user, product_id=product_id)
    extra = {"template": "posts/_product_posts.html"}
    url = reverse("posts:product_posts", args=[product_id])
    return _grid(request, posts, url=url, size=PRODUCT_PAGE_SIZE, extra=extra)
