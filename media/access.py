"""Who may see a medium besides its uploader, and who wants to hear when one changes: rules and
listeners other apps register (posts: "attached to a post the viewer may see"; posts' card
snapshots). Kept as registries so media never imports the apps that use it."""

from __future__ import annotations

from collections.abc import Callable

from media.models import Media

ViewerRule = Callable[[object, int], bool]
ChangeListener = Callable[[list[int]], None]

_rules: list[ViewerRule] = []
_listeners: list[ChangeListener] = []


def register_viewer_rule(rule: ViewerRule) -> None:
    """Add `rule(viewer, media_id) -> bool`; registering the same rule twice is a no-op."""
    if rule not in _rules:
        _rules.append(rule)


def viewer_may_see(viewer, media: Media) -> bool:
    """The uploader always; anyone else when a registered rule admits them."""
    if getattr(viewer, "is_authenticated", False) and viewer.pk == media.owner_id:
        return True
    return any(rule(viewer, media.pk) for rule in _rules)


def register_change_listener(listener: ChangeListener) -> None:
    """Add `listener(media_ids)`, called in the transaction that changed what a client sees of
    those media (processed, failed, made public or private); registering twice is a no-op."""
    if listener not in _listeners:
        _listeners.append(listener)


def media_changed(media_ids: list[int]) -> None:
    for listener in _listeners:
        listener(media_ids)
