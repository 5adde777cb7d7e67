"""What every page's shell needs: the navigation, the account links and the live-update URL.

The navigation is declared once, here. Its pages arrive with later issues, so an entry is shown
only once its URL name resolves: the shell never links to a page that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from backend.realtime.routing import WEBSOCKET_ROUTES

NOTIFICATIONS_SOCKET_ROUTE = "ws/notifications/"


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    # Entries about "me" take the signed-in user's username; anonymous visitors get signin.
    for_user: bool = False
    primary: bool = False


NAV: tuple[NavItem, ...] = (
    NavItem("Home", "web:home", "home"),
    NavItem("Discover", "feed:discover", "discover"),
    NavItem("Shop", "commerce:product_list", "shop"),
    NavItem("Post", "posts:compose", "compose", primary=True),
    NavItem("Cart", "commerce:cart", "cart"),
    NavItem("Earnings", "rewards:earnings", "earnings"),
    NavItem("Me", "accounts:profile", "profile", for_user=True),
)


# Shortcuts on your own profile to pages that live in other apps; like NAV, an entry shows only
# once its page exists.
ME_LINKS: tuple[NavItem, ...] = (
    NavItem("Your orders", "commerce:order_list", "cart"),
    NavItem("Your shop", "commerce:console_home", "shop"),
    NavItem("Your share links", "shoplinks:my_links", "share"),
)


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    icon: str
    primary: bool
    current: bool


def url_or_none(name: str, **kwargs) -> str | None:
    """The URL for `name`, or None while the page that owns it does not exist yet."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _is_current(url: str, path: str) -> bool:
    if url == "/":
        return path == "/"
    return path == url or path.startswith(url.rstrip("/") + "/")


def _nav_links(request, user) -> list[NavLink]:
    signed_in = bool(user and user.is_authenticated)
    links = []
    for item in NAV:
        if item.for_user:
            url = (
                url_or_none(item.url_name, username=user.username)
                if signed_in
                else url_or_none("accounts:signin")
            )
        else:
            url = url_or_none(item.url_name)
        if url is None:
            continue
        links.append(
            NavLink(
                label=item.label,
                url=url,
                icon=item.icon,
                primary=item.primary,
                current=_is_current(url, request.path),
            )
        )
    return links


def _me_links(request) -> list[NavLink]:
    links = []
    for item in ME_LINKS:
        url = url_or_none(item.url_name)
        if url is not None:
            links.append(
                NavLink(item.label, url, item.icon, item.primary, _is_current(url, request.path))
            )
    return links


def _live_socket_path() -> str | None:
    for route, _consumer in WEBSOCKET_ROUTES:
        if route.strip("/") == NOTIFICATIONS_SOCKET_ROUTE.strip("/"):
            return "/" + NOTIFICATIONS_SOCKET_ROUTE
    return None


def shell(request) -> dict:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    account = {
        "signin": url_or_none("accounts:signin"),
        "signup": url_or_none("accounts:signup"),
        "signout": url_or_none("accounts:signout") if signed_in else None,
        "profile": url_or_none("accounts:profile", username=user.username) if signed_in else None,
        "profile_edit": url_or_none("accounts:profile_edit") if signed_in else None,
        # Settings pages other apps own, listed on the profile settings once they exist.
        "notification_settings": (url_or_none("feed:notification_settings") if signed_in else None),
        "privacy": url_or_none("feed:privacy") if signed_in else None,
    }
    return {
        "CURRENCY": settings.CURRENCY,
        "nav_links": _nav_links(request, user),
        "account_links": account,
        "live_socket_path": _live_socket_path() if signed_in else None,
        # The bell links to the notifications page once it exists.
        "notifications_url": url_or_none("feed:notifications") if signed_in else None,
        # The magnifier links to search once it exists; visitors may search too.
        "search_url": url_or_none("feed:search"),
        "me_links": _me_links(request) if signed_in else [],
    }
