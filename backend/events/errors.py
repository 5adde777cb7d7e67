"""Errors of the events machinery."""


class InvalidEvent(ValueError):
    """publish() was called with a malformed name or payload: a programming error, not bad input."""
