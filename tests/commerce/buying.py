"""Shared steps of the cart, checkout and order tests, made through the real services."""

from commerce.cart.services import cart_add, cart_get_or_create
from commerce.checkout.services import CheckoutResult, checkout_place

ADDRESS = {
    "name": "Li Mei",
    "phone": "+86 138 0000 0000",
    "line1": "12 Orchard Road",
    "city": "Hangzhou",
    "postal_code": "310000",
}


def fill_cart(user, *items) -> None:
    """Put `(sku, quantity)` pairs in the user's cart."""
    cart = cart_get_or_create(user=user)
    for sku, quantity in items:
        cart_add(cart=cart, sku_id=sku.pk, quantity=quantity)


def buy(user, *items) -> CheckoutResult:
    fill_cart(user, *items)
    return checkout_place(buyer=user, address=ADDRESS)
