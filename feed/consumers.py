"""`/ws/notifications/`: a signed-in user's live updates (notifications, the unread count, new
posts from people they follow). The base consumer does the sign-in check and the user's group;
this one only says what it forwards and sends the unread count as soon as the socket opens."""

from __future__ import annotations

from typing import ClassVar

from channels.db import database_sync_to_async

from backend.realtime.consumers import UserConsumer
from feed.notifications import push


class NotificationsConsumer(UserConsumer):
    forward_types: ClassVar[frozenset[str]] = frozenset({"notification", "unread", "feed.new_post"})

    async def connected(self, user) -> None:
        await self.send_json(await database_sync_to_async(push.unread_message)(user))
