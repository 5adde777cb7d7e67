"""Cart writes. Prices are never stored on a line: a line is a SKU and a quantity, priced from
the SKU whenever it is shown or checked out, so nothing a client sends can set a price."""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction

from backend.accounts.models import User
from backend.errors import InvalidInput, NotFound
from commerce.catalog.selectors import sku_for_sale
from commerce.errors import InsufficientStock, LineLimitExceeded
from commerce.models import SKU, Cart, CartLine


def line_limit() -> int:
    return settings.CART_LINE_MAX_QUANTITY


def _check_positive(quantity: int) -> None:
    if quantity < 1:
        raise InvalidInput("The quantity must be at least 1.", fields={"quantity": "At least 1."})


def _check_quantity(sku: SKU, quantity: int) -> None:
    if quantity > line_limit():
        raise LineLimitExceeded(
            f"A cart line holds at most {line_limit()} of one item.",
            fields={"quantity": f"At most {line_limit()}."},
        )
    if quantity > sku.available:
        raise InsufficientStock(
            f"Only {sku.available} of “{sku.name}” left.",
            fields={"quantity": f"Only {sku.available} left."},
        )


def cart_get_or_create(*, user: User) -> Cart:
    """The user's one cart, made on first use (a concurrent twin's row is read, not doubled)."""
    try:
        with transaction.atomic():
            return Cart.objects.get_or_create(user=user)[0]
    except IntegrityError:
        return Cart.objects.get(user=user)


def session_cart_create() -> Cart:
    """A visitor's cart, owned by a random token that the page keeps in the session."""
    return Cart.objects.create(session_key=secrets.token_urlsafe(30))


@transaction.atomic
def cart_add(*, cart: Cart, sku_id: int, quantity: int) -> CartLine:
    """Add `quantity` of a SKU for sale; the same SKU again adds to its line.

    Raises NotForSale / NotFound (from the catalog), InsufficientStock when the line would hold
    more than is available, LineLimitExceeded above CART_LINE_MAX_QUANTITY.
    """
    _check_positive(quantity)
    sku = sku_for_sale(sku_id)
    # Serialises writes to one cart: two adds of a new SKU cannot both insert its line.
    _lock(cart)
    line = CartLine.objects.filter(cart=cart, sku=sku).first()
    current = line.quantity if line else 0
    _check_quantity(sku, current + quantity)
    if line is None:
        return CartLine.objects.create(cart=cart, sku=sku, quantity=quantity)
    line.quantity = current + quantity
    line.save(update_fields=["quantity"])
    return line


def _lock(*carts: Cart) -> None:
    list(Cart.objects.select_for_update().filter(pk__in=[c.pk for c in carts]).order_by("pk"))


def _own_line(cart: Cart, line_id: int) -> CartLine:
    line = (
        CartLine.objects.select_for_update()
        .select_related("sku")
        .filter(pk=line_id, cart=cart)
        .first()
    )
    if line is None:
        raise NotFound("This cart line does not exist.")
    return line


@transaction.atomic
def cart_line_update(*, cart: Cart, line_id: int, quantity: int) -> CartLine:
    """Set a line's quantity. Lowering it is always allowed; raising it is capped by stock."""
    _check_positive(quantity)
    line = _own_line(cart, line_id)
    if quantity > line.quantity:
        _check_quantity(line.sku, quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    return line


@transaction.atomic
def cart_line_remove(*, cart: Cart, line_id: int) -> None:
    _own_line(cart, line_id).delete()


@transaction.atomic
def cart_merge(*, source: Cart, user: User) -> Cart:
    """Move a visitor's cart into the user's at sign-in, then delete it.

    Quantities of the same SKU add up, capped by CART_LINE_MAX_QUANTITY and by what is available
    (a line that nothing is left of is dropped): signing in never fails because of the cart.
    """
    target = cart_get_or_create(user=user)
    if source.pk == target.pk:
        return target
    _lock(source, target)
    existing = {line.sku_id: line for line in CartLine.objects.filter(cart=target)}
    for incoming in CartLine.objects.filter(cart=source).select_related("sku"):
        line = existing.get(incoming.sku_id)
        current = line.quantity if line else 0
        wanted = min(
            current + incoming.quantity, line_limit(), max(incoming.sku.available, current)
        )
        if line is None and wanted > 0:
            CartLine.objects.create(cart=target, sku_id=incoming.sku_id, quantity=wanted)
        elif line is not None and wanted != current:
            line.quantity = wanted
            line.save(update_fields=["quantity"])
    source.delete()
    return target
