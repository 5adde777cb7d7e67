"""Discover's error codes, members of backend.errors' family."""

from backend.errors import InvalidInput


class UnknownCategory(InvalidInput):
    code = "unknown_category"
    message = "There is no such category to discover: pick one of the chips."


class InvalidHashtag(InvalidInput):
    code = "invalid_hashtag"
    message = "That is not a hashtag: letters, digits and _ or -, at most 100 characters."
