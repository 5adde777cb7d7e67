"""`/s/<code>`: the tap on a share link. Everything else on the pages is in shoplinks/pages."""

from __future__ import annotations

import functools
import logging

from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from shoplinks import clicks, lookup
from shoplinks.clicks import visitor

JSON = "application/json"
logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=10_000)
def product_url(product_id: int) -> str:
    """Our product page; remembered per process, as reverse() costs a fifth of a cached tap."""
    return reverse("commerce:product_detail", kwargs={"product_id": product_id})


@require_safe
def share_redirect(request, code: str) -> HttpResponse:
    """302 to our product page (only ever that: nothing from the code or the query string goes
    into the answer), or with `Accept: application/json` the link's {product_id, post_id,
    sharer}; the tap is recorded either way. 404 page for an unknown or malformed code. A HEAD
    is answered like a GET without a body and recorded as a bot."""
    info = lookup.link_info(code)
    if info is None:
        raise Http404("No such link.")
    try:
        clicks.record(request, info)
    except Exception:
        # The tap is lost, not the visitor: a click log that is down (Redis, say) must not
        # stop anyone from reaching the product.
        logger.exception("Could not record a tap on share link %s", info.id)
    # Parsing Accept costs a sixth of a tap; browsers never mention JSON, so most taps skip it.
    accept = request.headers.get("Accept", "")
    if "json" in accept and request.get_preferred_type(["text/html", JSON]) == JSON:
        response = JsonResponse(
            {"product_id": info.product_id, "post_id": info.post_id, "sharer": info.sharer_username}
        )
    else:
        response = HttpResponseRedirect(product_url(info.product_id))
    if request.method == "HEAD":
        response.content = b""
    visitor.set_cookie_if_new(request, response)
    # Every tap must reach us to be counted: no browser or proxy may replay a cached answer.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
    return response
