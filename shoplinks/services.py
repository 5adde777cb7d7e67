"""Writes on share links: making (or finding again) one sharer's link to a product."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from backend.accounts.models import User
from commerce.catalog import selectors as catalog
from commerce.errors import NotForSale, ProductNotFound
from posts import selectors as posts
from shoplinks import codes, lookup
from shoplinks.errors import ProductNotInPost
from shoplinks.models import ShareLink

# A fresh 63-bit code colliding even once is already unheard of; a few tries rule it out.
CODE_ATTEMPTS = 5


def link_get_or_create(
    *, sharer: User, product_id: int, post_id: int | None = None
) -> tuple[ShareLink, bool]:
    """The sharer's link to the product (from the post, if given), made on first ask.

    One link per (sharer, product, post): asking again returns the same link and False. The
    product must be for sale (ProductNotFound 404 when unknown, NotForSale 409 when not sold
    now). The post may be anyone's that the sharer may see (re-sharing a friend's post is the
    point of it): PostNotFound (404) otherwise, ProductNotInPost (400) when it does not tag the
    product. Making the link changes nothing for an existing one, whatever the product's state.
    """
    existing = _existing(sharer, product_id, post_id)
    if existing is not None:
        return existing, False
    product = catalog.products_by_ids([product_id]).get(product_id)
    if product is None:
        raise ProductNotFound()
    if not product.for_sale:
        raise NotForSale()
    if post_id is not None:
        post = posts.post_for_viewer(viewer=sharer, post_id=post_id)
        if not post.tags.filter(product_id=product_id).exists():
            raise ProductNotInPost(fields={"post_id": [ProductNotInPost.message]})
    for _ in range(CODE_ATTEMPTS):
        code = codes.new_code()
        try:
            with transaction.atomic():
                link = ShareLink.objects.create(
                    code=code, sharer=sharer, product_id=product_id, post_id=post_id
                )
        except IntegrityError:
            # Either the same sharer asked twice at once (the other request's link is the
            # answer) or, astronomically rarely, the code was taken: try a new one.
            existing = _existing(sharer, product_id, post_id)
            if existing is not None:
                return existing, False
            continue
        lookup.forget(code)
        return link, True
    raise IntegrityError("Could not find a free share-link code.")


def _existing(sharer: User, product_id: int, post_id: int | None) -> ShareLink | None:
    return ShareLink.objects.filter(sharer=sharer, product_id=product_id, post_id=post_id).first()


def link_path(code: str) -> str:
    return reverse("shoplink_redirect", kwargs={"code": code})


def link_url(link: ShareLink, request=None) -> str:
    """The link's absolute `/s/<code>` address: on the host of `request` when given (the page
    or API call that shows it), else on SITE_URL (tasks, emails)."""
    path = link_path(link.code)
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path
