"""Reads for the merchant console's pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q

from backend.errors import NotFound
from commerce.models import SKU, Merchant, MerchantStaff, Product

LOW_STOCK = 5


@dataclass(frozen=True)
class ShopSummary:
    products: int
    products_on_sale: int
    skus_low: int
    skus_out: int
    staff: int


def shop_summary(merchant: Merchant) -> ShopSummary:
    """The console home's figures, in three small aggregate queries."""
    products = Product.objects.filter(merchant=merchant).aggregate(
        total=Count("id"), on_sale=Count("id", filter=Q(active=True))
    )
    available = F("on_hand") - F("reserved")
    skus = (
        SKU.objects.filter(product__merchant=merchant, active=True, product__active=True)
        .annotate(left=available)
        .aggregate(
            low=Count("id", filter=Q(left__gt=0, left__lte=LOW_STOCK)),
            out=Count("id", filter=Q(left__lte=0)),
        )
    )
    return ShopSummary(
        products=products["total"],
        products_on_sale=products["on_sale"],
        skus_low=skus["low"],
        skus_out=skus["out"],
        staff=merchant.staff.count(),
    )


def staff_member(merchant: Merchant, user_id: int) -> MerchantStaff:
    """One person on the shop's staff, with their user; NotFound for anyone else."""
    member = merchant.staff.select_related("user").filter(user_id=user_id).first()
    if member is None:
        raise NotFound("That person is not on this shop's staff.")
    return member
