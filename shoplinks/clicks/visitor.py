"""The anonymous visitor's id, carried in a signed cookie that `/s/<code>` sets for a year.

The cookie's value is `<id>_<signature>`: a random id of 32 hex digits, then an HMAC of it
with the SECRET_KEY, all inside the alphabet that accounts accepts for the cookie
(backend.accounts.services.VISITOR_ID_PATTERN) so that it reaches `user.signed_in` intact. A
value whose signature does not verify is ignored (and replaced at the next tap): nobody can
claim another visitor's clicks by writing their id into a cookie.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets

from django.conf import settings

ID_LENGTH = 32
_SALT = "shoplinks.visitor"
MAX_AGE_SECONDS = 365 * 24 * 60 * 60
# Where the view finds the visitor that record() settled on for this request.
_REQUEST_ATTR = "_shoplinks_visitor"


@functools.lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    # What salted_hmac derives on every call; derived once per secret here (every tap signs
    # or checks a cookie).
    return hashlib.sha256((_SALT + secret).encode()).digest()


def _signature(visitor_id: str) -> str:
    mac = hmac.new(_key(settings.SECRET_KEY), visitor_id.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:16]).rstrip(b"=").decode()


def sign(visitor_id: str) -> str:
    """The cookie value for `visitor_id`."""
    return f"{visitor_id}_{_signature(visitor_id)}"


def visitor_id_from_cookie(value: str | None) -> str | None:
    """The visitor id inside a cookie value whose signature verifies, else None.

    For the sign-in merge too: `user.signed_in` carries the raw cookie value as "visitor".
    """
    if not value or len(value) > 64:
        return None
    visitor_id, separator, signature = value.partition("_")
    if not separator or len(visitor_id) != ID_LENGTH:
        return None
    if not hmac.compare_digest(signature, _signature(visitor_id)):
        return None
    return visitor_id


def new_visitor_id() -> str:
    return secrets.token_hex(ID_LENGTH // 2)


def visitor_of(request) -> tuple[str, bool]:
    """This request's visitor id and whether it is new (no valid cookie came with it); the
    same answer for the whole request."""
    known = getattr(request, _REQUEST_ATTR, None)
    if known is None:
        visitor_id = visitor_id_from_cookie(request.COOKIES.get(settings.VISITOR_COOKIE_NAME))
        known = (visitor_id, False) if visitor_id else (new_visitor_id(), True)
        setattr(request, _REQUEST_ATTR, known)
    return known


def set_cookie_if_new(request, response) -> None:
    """Give the visitor their cookie when the request came without a valid one."""
    known = getattr(request, _REQUEST_ATTR, None)
    if known is None or not known[1]:
        return
    response.set_cookie(
        settings.VISITOR_COOKIE_NAME,
        sign(known[0]),
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="Lax",
        # Secure wherever the session cookie is (production, behind HTTPS).
        secure=settings.SESSION_COOKIE_SECURE,
    )
