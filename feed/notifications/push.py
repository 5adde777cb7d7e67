"""What the recipient's open pages are told, after commit, and only the recipient's.

Messages (JSON), as live.js reads them:
- `{"type": "notification", "message": <text>, "unread": <count>, "notification": <API item>}`
- `{"type": "unread", "count": <count>}` once notifications were read (and on connect).
"""

from __future__ import annotations

from backend.accounts.models import User
from backend.realtime.send import send_to_user_on_commit
from feed.models import Notification
from feed.notifications import selectors


def notification_message(notification: Notification) -> dict | None:
    """The `notification` message for a new row: its whole group as the list now shows it."""
    group = selectors.group_of(notification)
    if group is None:
        return None
    recipient = notification.recipient
    return {
        "type": "notification",
        "message": group.text,
        "unread": selectors.unread_count(recipient),
        "notification": selectors.group_payload(group, recipient),
    }


def unread_message(user: User) -> dict:
    return {"type": "unread", "count": selectors.unread_count(user)}


def push_notification(notification: Notification) -> None:
    """Tell the recipient's sockets about a new row once the transaction commits."""
    message = notification_message(notification)
    if message is not None:
        send_to_user_on_commit(notification.recipient_id, message)


def push_unread(user: User) -> None:
    """Tell the user's sockets (every tab) their unread count once the transaction commits."""
    send_to_user_on_commit(user.pk, unread_message(user))
