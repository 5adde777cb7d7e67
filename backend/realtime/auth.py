"""Websocket authentication: the session cookie (pages) or `?token=` (apps)."""

from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware


@database_sync_to_async
def _user_for_token(key: str):
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key, user__is_active=True).first()
    return token.user if token else None


class QueryTokenAuthMiddleware(BaseMiddleware):
    """Puts the token's user in the scope when `?token=` is given; else leaves the session's."""

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        key = (query.get("token") or [""])[0]
        if key:
            user = await _user_for_token(key)
            if user is not None:
                scope = dict(scope, user=user)
        return await super().__call__(scope, receive, send)


def TokenOrSessionAuthMiddlewareStack(inner):  # noqa: N802 - named like Channels' own stacks
    return AuthMiddlewareStack(QueryTokenAuthMiddleware(inner))
