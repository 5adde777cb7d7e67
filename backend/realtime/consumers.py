"""The base of every websocket consumer: authentication, group joins, forwarding.

An app's consumer only says which groups a user's socket joins and which message types it
forwards; services send to those groups with backend.realtime.send after commit. A message
reaches the client exactly as it was sent: `{"type": "notification.new", ...}`.
"""

import logging
from typing import ClassVar

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer

logger = logging.getLogger(__name__)

# Like HTTP 401, in the websocket range kept for applications (4000–4999).
CLOSE_UNAUTHENTICATED = 4401


def user_group(user_id: int) -> str:
    """The group every socket of one user joins."""
    return f"user.{int(user_id)}"


class UserConsumer(AsyncJsonWebsocketConsumer):
    """A signed-in user's socket; anonymous connections are refused at the handshake (4401)."""

    # Group messages of these types go to the client as they are.
    forward_types: ClassVar[frozenset[str]] = frozenset({"notification.new"})

    async def groups_for(self, user) -> list[str]:
        """The groups this user's socket joins; subclasses add theirs."""
        return [user_group(user.pk)]

    async def connected(self, user) -> None:
        """Called once the socket is open; subclasses send their first message from here."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Refused at the handshake: an anonymous client never gets an open socket (a
            # browser sees the upgrade fail; ASGI test clients see the 4401 code).
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        # Channels discards self.groups on disconnect.
        self.groups = await self.groups_for(user)
        for group in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.connected(user)

    async def dispatch(self, message):
        if message.get("type") in self.forward_types:
            await self.send_json(message)
            return
        if not hasattr(self, get_handler_name(message)):
            # A type nobody forwards is a sender's mistake; Channels would raise and drop every
            # socket of the user over it.
            logger.warning("%s ignored a %r message", type(self).__name__, message["type"])
            return
        await super().dispatch(message)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Clients mostly listen; a frame that is not JSON is ignored rather than crashing the
        # socket (the default would raise and drop the connection).
        if text_data is None:
            return
        try:
            content = await self.decode_json(text_data)
        except ValueError:
            return
        await self.receive_json(content, **kwargs)
