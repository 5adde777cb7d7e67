"""Who listens to which event, by name, so that listening needs no import of the publisher.

Apps subscribe in their AppConfig.ready(). A subscription's key names its handler in the
HandlerRun records; it must stay stable across restarts, or the handler would run again for
events it has already handled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from backend.events.models import Event

Handler = Callable[["Event"], None]


@dataclass(frozen=True)
class Subscription:
    event_name: str
    key: str
    handler: Handler


_subscriptions: dict[str, list[Subscription]] = {}


def _dotted_path(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def subscribe(event_name: str, handler: Handler, *, key: str | None = None) -> None:
    """Run `handler(event)` once for every `event_name` event published from now on.

    Handlers of one event run in the order they subscribed. Subscribing the same handler
    under the same key again changes nothing (ready() may run twice); another handler under
    a key already taken is a configuration error.
    """
    key = key or _dotted_path(handler)
    if len(key) > 255:
        raise ImproperlyConfigured(f"Subscription key longer than 255 characters: {key!r}")
    subscriptions = _subscriptions.setdefault(event_name, [])
    for existing in subscriptions:
        if existing.key == key:
            if existing.handler is handler:
                return
            raise ImproperlyConfigured(
                f"Two handlers subscribed to {event_name!r} under the key {key!r}."
            )
    subscriptions.append(Subscription(event_name=event_name, key=key, handler=handler))


def subscriber(event_name: str, *, key: str | None = None) -> Callable[[Handler], Handler]:
    """Decorator form of subscribe(); the function is returned unchanged."""

    def register(handler: Handler) -> Handler:
        subscribe(event_name, handler, key=key)
        return handler

    return register


def subscriptions_for(event_name: str) -> list[Subscription]:
    """The handlers of `event_name`, in the order they run."""
    return list(_subscriptions.get(event_name, ()))
