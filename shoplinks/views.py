"""`/s/<code>`: the tap on a share link. Everything else on the pages is in shoplinks/pages."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from shoplinks import clicks, lookup
from shoplinks.clicks import visitor

JSON = "application/json"


@require_safe
def share_redirect(request, code: str) -> HttpResponse:
    """302 to our product page (only ever that: nothing from the code or the query string goes
    into the answer), or with `Accept: application/json` the link's {product_id, post_id,
    sharer}; the tap is recorded either way. 404 page for an unknown or malformed code. A HEAD
    is answered like a GET without a body and recorded as a bot."""
    info = lookup.link_info(code)
    if info is None:
        raise Http404("No such link.")
    clicks.record(request, info)
    if request.get_preferred_type(["text/html", JSON]) == JSON:
        response = JsonResponse(
            {"product_id": info.product_id, "post_id": info.post_id, "sharer": info.sharer_username}
        )
    else:
        response = HttpResponseRedirect(
            reverse("commerce:product_detail", kwargs={"product_id": info.product_id})
        )
    if request.method == "HEAD":
        response.content = b""
    visitor.set_cookie_if_new(request, response)
    # Every tap must reach us to be counted: no browser or proxy may replay a cached answer.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
    return response
