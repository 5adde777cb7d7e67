"""Share-link codes: short, unguessable, safe in a URL and easy to read aloud or copy by hand.

The alphabet leaves out the look-alikes (0/O/o, 1/l/I), so a code copied off a screen is the
code that was shared. 11 characters of 56 give about 63 bits: guessing one live code among a
million takes some 10^13 tries on average.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 11
# What a code in the wild may look like: older or future codes may be one shorter or longer.
MIN_LENGTH, MAX_LENGTH = 10, 12
_ALLOWED = frozenset(ALPHABET)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def is_well_formed(code: str) -> bool:
    """Whether `code` could be one of ours; anything else is a 404 without a lookup."""
    return MIN_LENGTH <= len(code) <= MAX_LENGTH and all(char in _ALLOWED for char in code)
