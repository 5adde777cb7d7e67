"""Writes of the catalog: shops and their staff, products, SKUs, stock, pictures.

Every change of stock, price or availability leaves an audit row (DESIGN.md), written in the
same transaction as the change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from backend.audit.services import audit_record
from backend.errors import InvalidInput, NotFound
from backend.events.services import publish
from commerce.catalog.images import image_from_upload
from commerce.errors import (
    AlreadyMerchantStaff,
    CannotRemoveOwner,
    NotMerchantOwner,
    StockBelowReserved,
)
from commerce.models import SKU, Category, Merchant, MerchantStaff, Product, ProductImage
from media import selectors as media_selectors
from media import services as media_services

PRODUCT_IMAGE_SIDE = 1600
LOGO_SIDE = 512
MAX_IMAGES_PER_PRODUCT = 9
SHOP_FIELDS = ("name", "description", "shipping_fee", "free_shipping_threshold")
PRODUCT_FIELDS = ("name", "description", "category", "active", "commission_rate_bp")
SKU_FIELDS = ("name", "price", "active", "best_before", "harvest_date")


# --- Shops -----------------------------------------------------------------------------------


def _slug_candidates(name: str):
    base = slugify(name)[:80] or "shop"
    yield base
    for n in range(2, 50):
        yield f"{base}-{n}"
    # A run of 50 shops with one name is odd enough that a random tail is fine from here on.
    while True:
        yield f"{base}-{get_random_string(6, allowed_chars='abcdefghijkmnpqrstuvwxyz23456789')}"


@transaction.atomic
def merchant_create(*, owner, name: str, description: str = "") -> Merchant:
    """Open a shop; `owner` becomes its owner. A user works for at most one shop (409)."""
    if MerchantStaff.objects.filter(user_id=owner.pk).exists():
        raise AlreadyMerchantStaff()
    taken = set(
        Merchant.objects.filter(slug__startswith=slugify(name)[:80] or "shop").values_list(
            "slug", flat=True
        )
    )
    slug = next(candidate for candidate in _slug_candidates(name) if candidate not in taken)
    try:
        with transaction.atomic():
            merchant = Merchant.objects.create(
                name=name, slug=slug, description=description, owner=owner
            )
            MerchantStaff.objects.create(
                merchant=merchant, user=owner, role=MerchantStaff.Role.OWNER
            )
    except IntegrityError as exc:
        # A concurrent request made this user staff (the one-shop rule held in the database).
        if MerchantStaff.objects.filter(user_id=owner.pk).exists():
            raise AlreadyMerchantStaff() from exc
        raise
    audit_record(
        actor=owner, action="merchant.create", target=merchant, before={}, after={"name": name}
    )
    return merchant


def _changes(obj, values: dict) -> tuple[dict, dict]:
    before, after = {}, {}
    for key, value in values.items():
        current = getattr(obj, key)
        if current != value:
            before[key], after[key] = current, value
    return before, after


@transaction.atomic
def merchant_update(*, merchant: Merchant, actor, logo=None, **values) -> Merchant:
    """Change the shop's settings (SHOP_FIELDS, and a new logo); audited, as shipping is money."""
    unknown = set(values) - set(SHOP_FIELDS)
    if unknown:
        raise TypeError(f"not shop settings: {sorted(unknown)}")
    merchant = Merchant.objects.select_for_update().get(pk=merchant.pk)
    before, after = _changes(merchant, values)
    for key, value in after.items():
        setattr(merchant, key, value)
    if logo is not None:
        clean = image_from_upload(logo, field="logo", max_side=LOGO_SIDE)
        before["logo"] = merchant.logo.name or ""
        merchant.logo.save(clean.file.name, clean.file, save=False)
        after["logo"] = merchant.logo.name
    if after:
        merchant.save()
        audit_record(
            actor=actor, action="merchant.update", target=merchant, before=before, after=after
        )
    return merchant


def _require_owner(merchant: Merchant, actor) -> None:
    if merchant.owner_id != actor.pk:
        raise NotMerchantOwner()


@transaction.atomic
def merchant_staff_add(*, merchant: Merchant, actor, user) -> MerchantStaff:
    """The owner adds `user` to the shop's staff; someone already staff anywhere is refused."""
    _require_owner(merchant, actor)
    if MerchantStaff.objects.filter(user_id=user.pk).exists():
        raise AlreadyMerchantStaff()
    try:
        with transaction.atomic():
            member = MerchantStaff.objects.create(merchant=merchant, user=user)
    except IntegrityError as exc:
        raise AlreadyMerchantStaff() from exc
    audit_record(
        actor=actor,
        action="merchant.staff_add",
        target=merchant,
        before={},
        after={"user": user.pk},
    )
    return member


@transaction.atomic
def merchant_staff_remove(*, merchant: Merchant, actor, user) -> None:
    _require_owner(merchant, actor)
    member = MerchantStaff.objects.filter(merchant=merchant, user_id=user.pk).first()
    if member is None:
        raise NotFound("That person is not on this shop's staff.")
    if member.role == MerchantStaff.Role.OWNER:
        raise CannotRemoveOwner()
    member.delete()
    audit_record(
        actor=actor,
        action="merchant.staff_remove",
        target=merchant,
        before={"user": user.pk},
        after={},
    )


@transaction.atomic
def merchant_set_status(*, merchant: Merchant, actor, status: str) -> Merchant:
    """Suspend or reactivate a shop (operators). A suspended shop sells nothing and is hidden."""
    merchant = Merchant.objects.select_for_update().get(pk=merchant.pk)
    if merchant.status == status:
        return merchant
    before = {"status": merchant.status}
    merchant.status = status
    merchant.save(update_fields=["status"])
    action = "merchant.suspend" if status == Merchant.Status.SUSPENDED else "merchant.reactivate"
    audit_record(
        actor=actor, action=action, target=merchant, before=before, after={"status": status}
    )
    return merchant


# --- Products and SKUs -----------------------------------------------------------------------


@dataclass(frozen=True)
class SkuInput:
    name: str
    price: int
    stock: int
    best_before: datetime.date | None = None
    harvest_date: datetime.date | None = None


def _check_commission(rate_bp: int | None) -> None:
    cap = settings.COMMISSION_CAP_BP
    if rate_bp is not None and not 0 <= rate_bp <= cap:
        message = f"The commission rate must be between 0 and {cap} basis points."
        raise InvalidInput(message, fields={"commission_rate_bp": [message]})


def _sku_state(sku: SKU) -> dict:
    return {
        "name": sku.name,
        "price": sku.price,
        "on_hand": sku.on_hand,
        "active": sku.active,
        "best_before": sku.best_before,
        "harvest_date": sku.harvest_date,
    }


def _sku_add(*, product: Product, actor, sku: SkuInput) -> SKU:
    created = SKU.objects.create(
        product=product,
        name=sku.name,
        price=sku.price,
        on_hand=sku.stock,
        best_before=sku.best_before,
        harvest_date=sku.harvest_date,
    )
    audit_record(
        actor=actor, action="sku.create", target=created, before={}, after=_sku_state(created)
    )
    return created


@transaction.atomic
def product_create(
    *,
    merchant: Merchant,
    actor,
    name: str,
    description: str,
    category: Category,
    skus: list[SkuInput],
    commission_rate_bp: int | None = None,
    image_media_ids: list[int] = (),
) -> Product:
    """A product with its SKUs (at least one), active at once (API.md), and its gallery from
    pictures the actor uploaded through `POST media` (`image_media_ids`, in order)."""
    if not skus:
        message = "Add at least one SKU."
        raise InvalidInput(message, fields={"skus": [message]})
    _check_commission(commission_rate_bp)
    if len(image_media_ids) > MAX_IMAGES_PER_PRODUCT:
        message = f"A product has at most {MAX_IMAGES_PER_PRODUCT} pictures."
        raise InvalidInput(message, fields={"images": [message]})
    product = Product.objects.create(
        merchant=merchant,
        category=category,
        name=name,
        description=description,
        commission_rate_bp=commission_rate_bp,
    )
    for sku in skus:
        _sku_add(product=product, actor=actor, sku=sku)
    _gallery_from_media(product=product, actor=actor, media_ids=list(image_media_ids))
    audit_record(
        actor=actor,
        action="product.create",
        target=product,
        before={},
        after={"name": name, "category": category.pk, "commission_rate_bp": commission_rate_bp},
    )
    _publish_rate(product)
    return product


def _publish_rate(product: Product) -> None:
    """Tell rewards the product's rate from now on, so it can keep the rate's history."""
    publish(
        "product.commission_rate_set",
        {
            "product": product.pk,
            "rate_bp": product.commission_rate_bp,
            "at": product.updated_at.isoformat(),
        },
    )


@transaction.atomic
def product_update(*, product: Product, actor, **values) -> Product:
    """Change PRODUCT_FIELDS; the changed ones are audited."""
    unknown = set(values) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"not product fields: {sorted(unknown)}")
    if "commission_rate_bp" in values:
        _check_commission(values["commission_rate_bp"])
    product = Product.objects.select_for_update().get(pk=product.pk)
    before, after = _changes(product, values)
    if not after:
        return product
    for key, value in after.items():
        setattr(product, key, value)
    product.save()
    audit_record(actor=actor, action="product.update", target=product, before=before, after=after)
    if "commission_rate_bp" in after:
        _publish_rate(product)
    return product


@transaction.atomic
def sku_add(*, product: Product, actor, sku: SkuInput) -> SKU:
    return _sku_add(product=product, actor=actor, sku=sku)


@transaction.atomic
def sku_update(*, sku: SKU, actor, stock: int | None = None, **values) -> SKU:
    """Change a SKU; `stock` is the new on_hand and may never go below what is reserved.

    The row is locked for the change, and the stock write is itself guarded
    (`WHERE reserved <= new`), so a checkout reserving meanwhile can never be overtaken.
    """
    unknown = set(values) - set(SKU_FIELDS)
    if unknown:
        raise TypeError(f"not SKU fields: {sorted(unknown)}")
    locked = SKU.objects.select_for_update().get(pk=sku.pk)
    before = _sku_state(locked)
    changes = dict(values)
    if stock is not None and stock != locked.on_hand:
        if not SKU.objects.filter(pk=locked.pk, reserved__lte=stock).update(on_hand=stock):
            raise StockBelowReserved(
                f"Open orders hold {locked.reserved}; stock cannot go below that.",
                fields={"stock": [f"At least {locked.reserved} (held by open orders)."]},
            )
        locked.on_hand = stock
    for key, value in changes.items():
        setattr(locked, key, value)
    if changes:
        locked.save(update_fields=list(changes))
    after = _sku_state(locked)
    changed_before = {key: value for key, value in before.items() if after[key] != value}
    if changed_before:
        audit_record(
            actor=actor,
            action="sku.update",
            target=locked,
            before=changed_before,
            after={key: after[key] for key in changed_before},
        )
    return locked


def _gallery_from_media(*, product: Product, actor, media_ids: list[int]) -> None:
    """Copy the actor's ready pictures into the gallery: a product page is public and keeps
    its pictures whatever happens to the uploads, so the shop owns its copies."""
    if not media_ids:
        return
    try:
        pictures = media_services.media_attach(owner=actor, media_ids=media_ids)
    except InvalidInput as error:
        raise InvalidInput(error.message, fields={"images": [error.message]}) from error
    for position, picture in enumerate(pictures):
        variant = media_selectors.largest_picture(picture)
        if variant is None:
            message = f"Media {picture.pk} is not a processed picture yet; try again shortly."
            raise InvalidInput(message, fields={"images": [message]})
        with variant.file:
            image = ProductImage(
                product=product, width=variant.width, height=variant.height, position=position
            )
            image.image.save(f"{get_random_string(24)}.webp", variant.file, save=False)
            image.save()


@transaction.atomic
def product_image_add(*, product: Product, actor, upload) -> ProductImage:
    """Add a picture at the end of the product's gallery (decoded, cleaned, re-encoded)."""
    count = ProductImage.objects.filter(product=product).count()
    if count >= MAX_IMAGES_PER_PRODUCT:
        message = f"A product has at most {MAX_IMAGES_PER_PRODUCT} pictures."
        raise InvalidInput(message, fields={"image": [message]})
    clean = image_from_upload(upload, field="image", max_side=PRODUCT_IMAGE_SIDE)
    image = ProductImage(product=product, width=clean.width, height=clean.height, position=count)
    image.image.save(clean.file.name, clean.file, save=False)
    image.save()
    return image
