"""Which cart a page request works on: the user's, or a visitor's kept by a session token.

The visitor's cart is found through a random token stored in the session data, not through the
session key: Django rotates the key at sign-in (cycle_key) but keeps the data, so the token is
still there when `user_logged_in` fires and the cart can be merged into the user's.
"""

from django.http import HttpRequest

from commerce.cart import selectors, services
from commerce.models import Cart

SESSION_KEY = "commerce_cart_token"


def request_cart(request: HttpRequest, *, create: bool = False) -> Cart | None:
    """The cart of this request's user or visitor; made on demand when `create`."""
    if request.user.is_authenticated:
        if create:
            return services.cart_get_or_create(user=request.user)
        return selectors.cart_of_user(request.user)
    cart = selectors.session_cart(request.session.get(SESSION_KEY))
    if cart is None and create:
        cart = services.session_cart_create()
        request.session[SESSION_KEY] = cart.session_key
    return cart


def merge_at_sign_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """`user_logged_in` receiver: fold the visitor's cart into the user's (pages only; the API
    signs in with tokens and has no visitor cart)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    source = selectors.session_cart(session.pop(SESSION_KEY, None))
    if source is not None:
        services.cart_merge(source=source, user=user)
