"""The sharer's own pages: their links with what the links did, the attribution decisions of
the paid lines that touched them, and each link's printable QR code. Only ever their own:
another sharer's link is the 404 page, not a hint that it exists."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from commerce.catalog import selectors as catalog
from shoplinks import selectors, services
from shoplinks.models import ShareLink
from shoplinks.pages.qr import qr_svg_document

# The page shows the latest decisions; older ones are in the sharer's earnings history.
DECISIONS_SHOWN = 50


@dataclass(frozen=True)
class LinkRow:
    link: ShareLink
    url: str
    image: str | None
    conversion: str


def conversion(orders: int, clicks: int) -> str:
    """Orders per counted tap as a percentage ("12.5%"), "–" before the first tap."""
    if not clicks:
        return "–"
    return f"{orders * 100 / clicks:.1f}".removesuffix(".0") + "%"


def _link_rows(request, links: list[ShareLink]) -> list[LinkRow]:
    products = catalog.products_by_ids([link.product_id for link in links])
    rows = []
    for link in links:
        picture = getattr(products.get(link.product_id), "first_image", None)
        rows.append(
            LinkRow(
                link=link,
                url=services.link_url(link, request),
                image=default_storage.url(picture) if picture else None,
                conversion=conversion(link.order_count, link.click_count),
            )
        )
    return rows


@login_required
@require_safe
def my_links(request):
    links = list(selectors.links_of(sharer=request.user))
    decisions = selectors.decisions_for(sharer=request.user, limit=DECISIONS_SHOWN)
    clicks = sum(link.click_count for link in links)
    orders = sum(link.order_count for link in links)
    context = {
        "rows": _link_rows(request, links),
        "decisions": decisions,
        "totals": {"clicks": clicks, "orders": orders, "conversion": conversion(orders, clicks)},
    }
    return render(request, "shoplinks/my_links.html", context)


@login_required
@require_safe
def qr(request, code: str):
    """The link's QR code as an SVG file, for its sharer only."""
    link = ShareLink.objects.filter(code=code, sharer=request.user).first()
    if link is None:
        raise Http404("No such link.")
    response = HttpResponse(
        qr_svg_document(services.link_url(link, request)), content_type="image/svg+xml"
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Nothing in it runs, and nothing may: an SVG opened on its own is a document.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Content-Disposition"] = f'inline; filename="share-{link.code}.svg"'
    response["Cache-Control"] = "private, max-age=86400"
    return response
