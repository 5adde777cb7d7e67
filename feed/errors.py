"""The feed app's error codes, members of backend.errors' family."""

from backend.errors import InvalidInput


class InvalidCursor(InvalidInput):
    code = "invalid_cursor"
    message = "This cursor is not one the feed gave out: start again from the first page."
