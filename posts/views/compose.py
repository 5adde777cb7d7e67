"""The composer (new post and edit) and deleting a post.

The composer page is a shell around posts/static/posts/composer.js, which uploads to the media
API and saves through the posts API (API.md); these views only hand it its configuration.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from backend.accounts.models import Visibility
from backend.errors import ApplicationError
from posts import services
from posts.models import ALT_TEXT_MAX_LENGTH, MAX_IMAGES, MAX_TAGS, TEXT_MAX_LENGTH
from posts.views.common import post_or_404, view_of

# The API.md routes the composer talks to.
API = {"media": "/api/v1/media", "posts": "/api/v1/posts", "products": "/api/v1/products"}

# Short labels for the composer's choice tiles, each with who that is.
VISIBILITY_CHOICES = (
    (Visibility.PUBLIC, "Everyone", "Anyone, even without an account"),
    (Visibility.FOLLOWERS, "Followers", "People who follow you"),
    (Visibility.FRIENDS, "Friends", "People you follow who follow you back"),
    (Visibility.CLOSE_FRIENDS, "Close friends", "Only your close friends list"),
)


def _config(initial: dict | None) -> dict:
    return {
        "api": API,
        # "/p/" + id + "/": the page to open once the post is saved.
        "detailPrefix": reverse("posts:detail", args=[0]).removesuffix("0/"),
        "limits": {
            "images": MAX_IMAGES,
            "tags": MAX_TAGS,
            "text": TEXT_MAX_LENGTH,
            "alt": ALT_TEXT_MAX_LENGTH,
        },
        "post": initial,
    }


def _composer(request, *, initial: dict | None, post=None):
    context = {
        "config": _config(initial),
        "post": post,
        "visibilities": VISIBILITY_CHOICES,
        "chosen_visibility": initial["visibility"] if initial else Visibility.PUBLIC,
        "initial": initial or {},
    }
    return render(request, "posts/compose.html", context)


@login_required
@require_safe
def compose(request):
    return _composer(request, initial=None)


def _initial(view) -> dict:
    """What the composer needs to edit a post, from its PostView."""
    return {
        "id": view.id,
        "text": view.text,
        "visibility": view.visibility,
        "status": view.status,
        "location": view.location,
        "media": [
            {
                "id": item["id"],
                "kind": item["kind"],
                "status": item["status"],
                "alt_text": item.get("alt_text", ""),
                "placeholder": item.get("placeholder", ""),
                "variants": item.get("variants", {}),
            }
            for item in view.media
        ],
        "tags": [
            {
                "product": {
                    "id": tag["product"]["id"],
                    "name": tag["product"]["name"],
                    "price": tag["product"]["price"],
                    "currency": tag["product"]["currency"],
                    "image": tag["product"].get("image"),
                },
                "sku_id": tag.get("sku_id"),
                "media_id": tag.get("media_id"),
                "x": tag.get("x"),
                "y": tag.get("y"),
            }
            for tag in view.tags
        ],
    }


def _own_post(request, post_id: int):
    """The signed-in author's post; anyone else gets the 404 page (not a hint that it exists)."""
    post = post_or_404(request, post_id)
    if post.author_id != request.user.pk:
        raise Http404("No such post.")
    return post


@login_required
@require_safe
def edit(request, post_id: int):
    post = _own_post(request, post_id)
    return _composer(request, initial=_initial(view_of(request, post)), post=post)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, post_id: int):
    """GET asks for confirmation; POST deletes (soft) and goes back to the author's profile."""
    post = _own_post(request, post_id)
    if request.method == "POST":
        try:
            services.post_delete(post=post, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("posts:detail", post_id=post.pk)
        messages.success(request, "Your post is deleted.")
        return redirect("accounts:profile", username=request.user.username)
    return render(request, "posts/delete.html", {"post": view_of(request, post)})
