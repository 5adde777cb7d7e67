"""The shop's public pages: the product list by category, a product, a shop."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from backend.errors import NotFound
from backend.web.context_processors import url_or_none
from commerce.catalog import selectors

PAGE_SIZE = 24


def _page(request, products):
    return Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
def product_list(request):
    tree = selectors.category_tree()
    slug = request.GET.get("category") or ""
    q = (request.GET.get("q") or "").strip()[:100]
    ordering = request.GET.get("ordering")
    ordering = ordering if ordering in selectors.ORDERINGS else "newest"
    in_stock = request.GET.get("in_stock") == "1"
    current = root = None
    for node in tree:
        for candidate in (node, *node.children):
            if candidate.slug == slug:
                current, root = candidate, node
    products = selectors.product_list(
        category=current.slug if current else None, q=q, ordering=ordering, in_stock=in_stock
    )
    return render(
        request,
        "commerce/catalog/product_list.html",
        {
            "tree": tree,
            "current": current,
            "root": root,
            "q": q,
            "ordering": ordering,
            "in_stock": in_stock,
            "page": _page(request, products),
            "console_url": url_or_none("commerce:console_home"),
        },
    )


def _meta(request, product) -> dict:
    """Open Graph and Twitter card values: a pasted link previews with the first picture.
    Product pictures are public (everyone sees the shop), so their URL is the plain one."""
    first = next(iter(product.images.all()), None)
    return {
        "url": request.build_absolute_uri(reverse("commerce:product_detail", args=[product.pk])),
        "image": request.build_absolute_uri(first.image.url) if first else None,
        "description": " ".join(product.description.split()),
    }


@require_GET
def product_detail(request, product_id: int):
    try:
        product = selectors.product_for_public(product_id)
    except NotFound as error:
        raise Http404(error.message) from error
    skus = product.active_skus
    chosen = next((sku for sku in skus if sku.available > 0), skus[0] if skus else None)
    return render(
        request,
        "commerce/catalog/product_detail.html",
        {
            "product": product,
            "skus": skus,
            "chosen": chosen,
            "meta": _meta(request, product),
            "cart_add_url": url_or_none("commerce:cart_add"),
            "posts_url": url_or_none("posts:product_posts", product_id=product.pk),
            "share_url": url_or_none("shoplinks:share_button", product_id=product.pk),
            "bought_url": url_or_none("feed:product_buyers", product_id=product.pk),
        },
    )


@require_GET
def shop_detail(request, slug: str):
    try:
        shop = selectors.shop_by_slug(slug)
    except NotFound as error:
        raise Http404(error.message) from error
    products = selectors.product_list(merchant=shop.slug, ordering="newest")
    return render(
        request,
        "commerce/catalog/shop_detail.html",
        {"shop": shop, "page": _page(request, products)},
    )
