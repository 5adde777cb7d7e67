"""The share sheet that the product page and the post page load into their share slots.

GET renders the Share button and its sheet and never writes. A signed-in sharer's link is made
when they open the sheet: the button POSTs here and the answer is the sheet's body with their
short URL(s), a Copy button, the Web Share button (shown by share.js where the browser has it)
and a QR code. A visitor shares the page's plain URL (no link, no commission) and is told that
signing in earns them one.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from backend.api.errors import json_error
from backend.errors import ApplicationError, NotFound
from commerce.catalog import selectors as catalog
from posts import selectors as posts
from shoplinks import services
from shoplinks.pages.qr import qr_svg_inline


@dataclass(frozen=True)
class ShareItem:
    """One thing to share: what it leads to, its URL and that URL's QR code."""

    label: str
    url: str
    qr: str
    # A sharer's own link: purchases through it may earn them a commission.
    earns: bool
    # The printable QR file of a sharer's link.
    qr_file: str | None = None


@dataclass(frozen=True)
class Subject:
    """What the sheet shares: the page's plain URL, its title, and the products that can be
    shared with a link (product id, name), none for a post that tags nothing for sale."""

    key: str
    title: str
    page_url: str
    products: list[tuple[int, str]]
    post_id: int | None
    action: str


def _plain(request, subject: Subject) -> list[ShareItem]:
    url = request.build_absolute_uri(subject.page_url)
    return [ShareItem(label=subject.title, url=url, qr=qr_svg_inline(url), earns=False)]


def _linked(request, subject: Subject) -> list[ShareItem]:
    """The sharer's links for the subject's products, made now if they do not exist yet."""
    items = []
    for product_id, name in subject.products:
        link, _created = services.link_get_or_create(
            sharer=request.user, product_id=product_id, post_id=subject.post_id
        )
        url = services.link_url(link, request)
        qr_file = reverse("shoplinks:qr", kwargs={"code": link.code})
        items.append(
            ShareItem(label=name, url=url, qr=qr_svg_inline(url), earns=True, qr_file=qr_file)
        )
    return items


def _context(request, subject: Subject, items: list[ShareItem] | None) -> dict:
    return {
        "subject": subject,
        "items": items,
        "window_days": settings.SHARE_ATTRIBUTION_WINDOW_DAYS,
        "signin_url": f"{reverse('accounts:signin')}?{urlencode({'next': subject.page_url})}",
    }


def _sheet(request, subject: Subject) -> HttpResponse:
    """GET: the button and the sheet. POST: the sheet's body with the sharer's links."""
    signed_in = request.user.is_authenticated
    earns = signed_in and bool(subject.products)
    if request.method == "POST":
        if not earns:
            # Nothing to make: a visitor or a post without products shares the plain URL.
            items = _plain(request, subject)
        else:
            try:
                items = _linked(request, subject)
            except NotFound as error:
                raise Http404(error.message) from error
            except ApplicationError as error:
                return json_error(error.status, error.code, error.message)
        return render(request, "shoplinks/_sheet_body.html", _context(request, subject, items))
    # The sharer's links wait for the sheet to open (a POST); the plain URL is ready at once.
    items = None if earns else _plain(request, subject)
    return render(request, "shoplinks/_share.html", _context(request, subject, items))


def _product_subject(product_id: int) -> Subject:
    product = catalog.products_by_ids([product_id]).get(product_id)
    if product is None or not product.for_sale:
        raise Http404("No such product.")
    return Subject(
        key=f"product-{product.pk}",
        title=product.name,
        page_url=reverse("commerce:product_detail", args=[product.pk]),
        products=[(product.pk, product.name)],
        post_id=None,
        action=reverse("shoplinks:share_button", kwargs={"product_id": product.pk}),
    )


def _post_subject(request, post_id: int) -> Subject:
    try:
        post = posts.post_for_viewer(viewer=request.user, post_id=post_id)
    except NotFound as error:
        raise Http404(error.message) from error
    view = posts.post_view(post, viewer=request.user)
    products: dict[int, str] = {}
    for tag in view.tags:
        product = tag["product"]
        if product["for_sale"]:
            products.setdefault(product["id"], product["name"])
    author = view.author["display_name"] or view.author["username"]
    return Subject(
        key=f"post-{post.pk}",
        title=f"{author}'s post",
        page_url=reverse("posts:detail", args=[post.pk]),
        products=list(products.items()),
        post_id=post.pk,
        action=reverse("shoplinks:post_share", kwargs={"post_id": post.pk}),
    )


@require_http_methods(["GET", "POST"])
def share_button(request, product_id: int):
    """The product page's share slot: one link to this product."""
    return _sheet(request, _product_subject(product_id))


@require_http_methods(["GET", "POST"])
def post_share(request, post_id: int):
    """The post page's share slot: a link per product the post tags (the post's own URL when
    it tags none). A post the viewer may not see is the 404 page, as on the post page."""
    return _sheet(request, _post_subject(request, post_id))
