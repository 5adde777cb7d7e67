"""Cart reads: the lines priced from their SKUs, grouped by shop with each shop's shipping."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from backend.accounts.models import User
from commerce.checkout.calculations import shipping_fee
from commerce.models import Cart, CartLine, Merchant, ProductImage


def line_for_sale(line: CartLine) -> bool:
    """Whether a line can still be bought: SKU, product and shop all active."""
    sku = line.sku
    return sku.active and sku.product.active and sku.product.merchant.is_active


_IMAGES = Prefetch("sku__product__images", queryset=ProductImage.objects.order_by("position", "id"))


@dataclass
class ShopGroup:
    merchant: Merchant
    lines: list[CartLine] = field(default_factory=list)
    goods: int = 0
    shipping: int = 0

    @property
    def total(self) -> int:
        return self.goods + self.shipping


@dataclass
class CartSummary:
    cart: Cart | None
    lines: list[CartLine]
    shops: list[ShopGroup]
    subtotal: int
    discount: int
    shipping: int
    total: int

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)


def _with_details(lines: QuerySet[CartLine]) -> QuerySet[CartLine]:
    return lines.select_related("sku__product__merchant", "sku__product__category")


def cart_lines(cart: Cart, *, for_update: bool = False) -> list[CartLine]:
    """A cart's lines with SKU, product (first image), category and shop: two queries."""
    return _lines(CartLine.objects.filter(cart=cart), for_update=for_update)


def cart_lines_of_user(user: User, *, for_update: bool = False) -> list[CartLine]:
    """The user's cart lines without reading the cart first (one query when `for_update`)."""
    return _lines(CartLine.objects.filter(cart__user=user), for_update=for_update)


def _lines(lines: QuerySet[CartLine], *, for_update: bool) -> list[CartLine]:
    lines = _with_details(lines)
    if for_update:
        # Only the lines: SKU rows are changed by guarded updates, never held for the checkout.
        return list(lines.select_for_update(of=("self",)))
    return list(lines.prefetch_related(_IMAGES))


def cart_line_detail(line_id: int) -> CartLine:
    return _with_details(CartLine.objects.filter(pk=line_id)).prefetch_related(_IMAGES).get()


def cart_summarize(cart: Cart | None) -> CartSummary:
    """Totals as checkout would charge them now (no discount before promotions exist)."""
    lines = cart_lines(cart) if cart is not None and cart.pk else []
    shops: dict[int, ShopGroup] = {}
    for line in lines:
        merchant = line.sku.product.merchant
        group = shops.setdefault(merchant.pk, ShopGroup(merchant=merchant))
        # Priced now, from the SKU: the page and the API show what checkout would charge.
        line.line_total = line.sku.price * line.quantity
        group.lines.append(line)
        group.goods += line.line_total
    for group in shops.values():
        group.shipping = shipping_fee(group.merchant, group.goods)
    subtotal = sum(group.goods for group in shops.values())
    shipping = sum(group.shipping for group in shops.values())
    return CartSummary(
        cart=cart,
        lines=lines,
        shops=list(shops.values()),
        subtotal=subtotal,
        discount=0,
        shipping=shipping,
        total=subtotal + shipping,
    )


def cart_of_user(user: User) -> Cart | None:
    return Cart.objects.filter(user=user).first()


def session_cart(token: str | None) -> Cart | None:
    if not token:
        return None
    return Cart.objects.filter(session_key=token, user__isnull=True).first()
