"""Keyset cursors for timelines: opaque to clients, a position (published_at, id) to us.

A cursor names the last post a page showed; the next page starts strictly after it in
(published_at desc, id desc) order, so posts published meanwhile never shift the pages a
reader is turning, and no post is shown twice or skipped.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass

from feed.errors import InvalidCursor

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)


@dataclass(frozen=True)
class Position:
    published_at: datetime.datetime
    post_id: int


def encode(position: Position) -> str:
    # Integer arithmetic: a float timestamp could be off by a microsecond and skip a post.
    micros = (position.published_at - EPOCH) // MICROSECOND
    raw = f"{micros}.{position.post_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> Position:
    """The position in `cursor`; InvalidCursor (400) for anything we did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        micros, post_id = (int(part) for part in raw.split("."))
        moment = EPOCH + micros * MICROSECOND
    except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError, OSError) as exc:
        raise InvalidCursor() from exc
    if post_id <= 0 or micros <= 0:
        raise InvalidCursor()
    return Position(published_at=moment, post_id=post_id)
