"""Who may see a medium besides its uploader: rules other apps register (posts: "attached to a
post the viewer may see"). Kept as a registry so media never imports the apps that use it."""

from __future__ import annotations

from collections.abc import Callable

from media.models import Media

ViewerRule = Callable[[object, int], bool]

_rules: list[ViewerRule] = []


def register_viewer_rule(rule: ViewerRule) -> None:
    """Add `rule(viewer, media_id) -> bool`; registering the same rule twice is a no-op."""
    if rule not in _rules:
        _rules.append(rule)


def viewer_may_see(viewer, media: Media) -> bool:
    """The uploader always; anyone else when a registered rule admits them."""
    if getattr(viewer, "is_authenticated", False) and viewer.pk == media.owner_id:
        return True
    return any(rule(viewer, media.pk) for rule in _rules)
