"""Recording a tap on a share link, off the request's critical path.

record() works out who tapped (the signed-in user by session or by API token, else the visitor
of the signed cookie, minted here when absent), what kind of client it was and the flags, then
appends the click to the buffer (`buffer.py`): no database write in the request, and no SQL at
all for an anonymous tap once the link is cached. On the Redis buffer the flags and the push are
one round trip (`redis_tap.py`); on the in-memory one, the flags use the Django cache
(`flags.py`) and the push is an append.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from rest_framework.authtoken.models import Token

from shoplinks.clicks import buffer, flags, redis_tap, visitor
from shoplinks.lookup import LinkInfo

TOKEN_PREFIX = "token "


def _token_user_id(request) -> int | None:
    """The user of an `Authorization: Token <key>` header (our apps), or None; one query."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith(TOKEN_PREFIX):
        return None
    key = header[len(TOKEN_PREFIX) :].strip()
    if not key or len(key) > 40:
        return None
    return (
        Token.objects.filter(key=key, user__is_active=True)
        .values_list("user_id", flat=True)
        .first()
    )


def record(request, link_info: LinkInfo) -> None:
    """Append the tap of `request` on `link_info`'s link to the buffer, flagged as it must be.

    The session user costs the session engine's reads (none without a session cookie); a token
    costs one query. Call visitor.set_cookie_if_new(request, response) on the answer.
    """
    user_id = request.user.pk if request.user.is_authenticated else None
    by_token = False
    if user_id is None:
        user_id = _token_user_id(request)
        by_token = user_id is not None
    if by_token:
        # An app has no use for our cookie; take the visitor id only if it brought a valid one.
        visitor_id = visitor.visitor_id_from_cookie(
            request.COOKIES.get(settings.VISITOR_COOKIE_NAME)
        )
    else:
        visitor_id, _new = visitor.visitor_of(request)
    bot = flags.is_bot(request)
    ip = request.META.get("REMOTE_ADDR") or "unknown"
    clicker = f"u{user_id}" if user_id is not None else f"v{visitor_id}"
    head = (
        uuid.uuid4().hex,
        link_info.id,
        link_info.product_id,
        link_info.sharer_id,
        user_id,
        visitor_id or "",
        time.time(),
        flags.agent_class(request, bot=bot, app=by_token),
        bot,
    )
    store = buffer.get_buffer()
    if isinstance(store, buffer.RedisBuffer):
        # Counter, marker and push in one round trip instead of three or four.
        redis_tap.push_tap(store, head, ip=ip, link_id=link_info.id, clicker=clicker, bot=bot)
        return
    limited = flags.is_rate_limited(ip)
    duplicate = not (bot or limited) and flags.is_duplicate(link_info.id, clicker)
    store.push((*head, duplicate, limited))
