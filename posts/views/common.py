"""What the posts views share: finding a post for the viewer and answering anonymous actions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from backend.errors import NotFound
from posts import selectors


def post_or_404(request, post_id: int):
    """The post if the viewer may see it; the 404 page otherwise, whatever the reason."""
    try:
        return selectors.post_for_viewer(viewer=request.user, post_id=post_id)
    except NotFound as error:
        raise Http404(error.message) from error


def view_of(request, post):
    """The post's display data (one PostView) for this viewer."""
    return selectors.post_view(post, viewer=request.user)


def sign_in_first(request, back: str) -> HttpResponse:
    """Send an anonymous visitor to sign in and back; htmx follows HX-Redirect instead of a 302
    (a 302 would only swap the sign-in page into the button)."""
    url = f"{reverse('accounts:signin')}?{urlencode({'next': back})}"
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1
