"""Reads of the catalog: shops, the category tree, products for the public and for their shop."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Value, When

from backend.errors import NotFound
from backend.search import full_text, split_terms, substring_match
from commerce.errors import NotForSale, NotMerchantStaff, ProductNotFound, ShopNotFound
from commerce.models import SKU, Category, Merchant, MerchantStaff, Product, ProductImage

ORDERINGS = {
    "price": ("min_price", "id"),
    "-price": ("-min_price", "-id"),
    "newest": ("-created_at", "-id"),
}


# --- Shops -----------------------------------------------------------------------------------


def shop_for_user(user) -> Merchant | None:
    """The shop `user` works for (as owner or staff), or None."""
    if user is None or not user.is_authenticated:
        return None
    membership = MerchantStaff.objects.select_related("merchant").filter(user_id=user.pk).first()
    return membership.merchant if membership else None


def membership_for_user(user) -> MerchantStaff | None:
    if user is None or not user.is_authenticated:
        return None
    return MerchantStaff.objects.select_related("merchant").filter(user_id=user.pk).first()


def shop_required(user) -> Merchant:
    """The user's shop, or NotMerchantStaff (403): the gate of every merchant/... route."""
    shop = shop_for_user(user)
    if shop is None:
        raise NotMerchantStaff()
    return shop


def shop_by_slug(slug: str) -> Merchant:
    """An active shop for its public page; suspended shops are hidden."""
    shop = Merchant.objects.filter(slug=slug, status=Merchant.Status.ACTIVE).first()
    if shop is None:
        raise ShopNotFound()
    return shop


def shop_staff(merchant: Merchant) -> QuerySet[MerchantStaff]:
    return merchant.staff.select_related("user").order_by("created_at", "id")


# --- Categories ------------------------------------------------------------------------------


@dataclass
class CategoryNode:
    id: int
    name: str
    slug: str
    parent_id: int | None
    children: list[CategoryNode] = field(default_factory=list)


def category_tree() -> list[CategoryNode]:
    """The whole tree in one query, roots first, each level in the categories' own order."""
    nodes = {
        category.id: CategoryNode(category.id, category.name, category.slug, category.parent_id)
        for category in Category.objects.order_by("position", "name", "id")
    }
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.parent_id) if node.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def category_with_descendants(key: str | int) -> list[int] | None:
    """Ids of the category named by slug or id and of everything below it; None if unknown."""
    rows = list(Category.objects.values_list("id", "slug", "parent_id"))
    key = str(key)
    start = next((id_ for id_, slug, _ in rows if slug == key or str(id_) == key), None)
    if start is None:
        return None
    children: dict[int, list[int]] = {}
    for id_, _slug, parent_id in rows:
        children.setdefault(parent_id, []).append(id_)
    found, todo = [], [start]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


# --- Products --------------------------------------------------------------------------------


def _with_listing_figures(products: QuerySet[Product]) -> QuerySet[Product]:
    """Lowest active price, whether any active SKU has stock, and the first picture: in-query."""
    active_skus = SKU.objects.filter(product=OuterRef("pk"), active=True)
    first_image = ProductImage.objects.filter(product=OuterRef("pk")).order_by("position", "id")
    return products.annotate(
        min_price=Min("skus__price", filter=Q(skus__active=True)),
        in_stock=Exists(active_skus.filter(on_hand__gt=F("reserved"))),
        first_image=Subquery(first_image.values("image")[:1]),
    )


def products_for_sale() -> QuerySet[Product]:
    """Active products of active shops."""
    return Product.objects.filter(active=True, merchant__status=Merchant.Status.ACTIVE)


def product_list(
    *,
    category: str | None = None,
    merchant: str | None = None,
    q: str | None = None,
    ordering: str | None = None,
    in_stock: bool = False,
) -> QuerySet[Product]:
    """The public product list: for sale, with at least one active SKU, filtered and ordered.

    An unknown category or shop gives an empty list, not an error: it is a filter.
    """
    products = _with_listing_figures(products_for_sale()).select_related("merchant")
    products = products.filter(min_price__isnull=False)
    if category:
        ids = category_with_descendants(category)
        products = products.filter(category_id__in=ids or [])
    if merchant:
        by = Q(merchant__slug=merchant)
        if merchant.isdigit():
            by |= Q(merchant_id=int(merchant))
        products = products.filter(by)
    if q:
        products = products.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if in_stock:
        products = products.filter(in_stock=True)
    return products.order_by(*ORDERINGS.get(ordering or "newest", ORDERINGS["newest"]))


# What product search reads; migration 0005 indexes exactly this vector on PostgreSQL.
SEARCHED_FIELDS = ("name", "description")


def search_products(terms: list[str]) -> QuerySet[Product]:
    """Products for sale (as `product_list` shows them) whose name or description holds every
    one of `terms` (backend.search: full-text words on PostgreSQL, through the GIN index of
    migration 0005; substrings otherwise), best first: more terms in the name first, then by
    name. Empty without terms."""
    if not terms:
        return Product.objects.none()
    words, rest = split_terms(terms)
    products = product_list().filter(substring_match(SEARCHED_FIELDS, rest))
    if words:
        products = full_text(products, SEARCHED_FIELDS, words)
    in_name = Value(0)
    for term in terms:
        in_name = in_name + Case(When(name__icontains=term, then=1), default=0)
    return products.alias(in_name=in_name).order_by("-in_name", "name", "id")


def product_for_public(product_id: int) -> Product:
    """One product for sale with its shop, category, pictures and active SKUs (4 queries)."""
    product = (
        _with_listing_figures(products_for_sale())
        .select_related("merchant", "category")
        .prefetch_related("images")
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise ProductNotFound()
    product.active_skus = list(product.skus.filter(active=True).order_by("price", "id"))
    return product


def shop_products(merchant: Merchant) -> QuerySet[Product]:
    """Every product of the shop, inactive ones included, for its staff; SKUs prefetched."""
    return (
        _with_listing_figures(Product.objects.filter(merchant=merchant))
        .select_related("category")
        .prefetch_related("skus")
        .order_by("-created_at", "-id")
    )


def shop_product(merchant: Merchant, product_id: int) -> Product:
    """A product of this shop, or 404: another shop's product does not exist for its staff."""
    product = shop_products(merchant).prefetch_related("images").filter(pk=product_id).first()
    if product is None:
        raise ProductNotFound()
    return product


def shop_sku(merchant: Merchant, sku_id: int) -> SKU:
    sku = (
        SKU.objects.select_related("product").filter(pk=sku_id, product__merchant=merchant).first()
    )
    if sku is None:
        raise NotFound("No such SKU.")
    return sku


def sku_for_sale(sku_id: int) -> SKU:
    """The SKU with its product and shop if it can be bought now.

    NotFound (404) when there is no such SKU; NotForSale (409 "not_for_sale") when the SKU or its
    product is inactive or its shop suspended. Stock is not checked here: reserving does that.
    """
    sku = (
        SKU.objects.select_related("product__merchant", "product__category")
        .filter(pk=sku_id)
        .first()
    )
    if sku is None:
        raise NotFound("No such SKU.")
    if not (sku.active and sku.product.active and sku.product.merchant.is_active):
        raise NotForSale()
    return sku


def products_by_ids(product_ids: list[int]) -> dict[int, Product]:
    """Products by id, whatever their state, with the listing figures and a `for_sale` flag
    (active product of an active shop); one query, for pages that show many products at once
    (tags on posts). Unknown ids are left out."""
    if not product_ids:
        return {}
    for_sale = products_for_sale().filter(pk=OuterRef("pk"))
    products = _with_listing_figures(Product.objects.filter(pk__in=set(product_ids)))
    return {product.pk: product for product in products.annotate(for_sale=Exists(for_sale))}


def active_skus_by_ids(sku_ids: list[int]) -> dict[int, SKU]:
    """Active SKUs by id (inactive and unknown ones left out); one query."""
    if not sku_ids:
        return {}
    return SKU.objects.filter(pk__in=set(sku_ids), active=True).in_bulk()
