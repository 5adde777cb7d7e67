"""Sending to websocket groups from services, after their transaction commits.

A notification about a change must never arrive for a change that was rolled back, nor before
the client could read it, so nothing is sent until commit. Realtime is best-effort: a channel
layer that fails is logged and never undoes or fails the committed work.
"""

import json
import logging
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from backend.realtime.consumers import user_group

logger = logging.getLogger(__name__)


def send_to_user_on_commit(user_id: int, message: dict) -> None:
    """Send `message` (`{"type": "notification.new", ...}`) to every open socket of the user."""
    send_to_group_on_commit(user_group(user_id), message)


def send_to_group_on_commit(group: str, message: dict) -> None:
    """Send `message` to the group once the current transaction commits (at once outside one);
    never if it rolls back. Raises ValueError for a message that is not plain JSON with a type."""
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ValueError("A realtime message is a dict with a string 'type'.")
    try:
        # A copy, as it is now: the caller may change its dict before the commit.
        frozen = json.loads(json.dumps(message))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"A realtime message must be plain JSON: {exc}") from exc
    transaction.on_commit(partial(_send, group, frozen), robust=True)


def _send(group: str, message: dict) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(group, message)
    except Exception:
        # Logged here rather than left to on_commit(robust=True), whose own logging fails on a
        # functools.partial (no __qualname__) and would turn a lost message into an error of
        # the request that committed.
        logger.exception("Could not send a %r message to %s", message.get("type"), group)
