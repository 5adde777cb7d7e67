"""Error codes of the notifications API, members of backend.errors' family."""

from backend.errors import InvalidInput


class UnknownKind(InvalidInput):
    code = "unknown_kind"
    message = "There is no such kind of notification."
