"""The delivery address: checked field by field, stored on the order as plain text."""

import re

from commerce.errors import InvalidAddress

# name: (max length, pattern or None, what a valid value looks like)
_FIELDS: dict[str, tuple[int, re.Pattern | None, str]] = {
    "name": (80, None, ""),
    "phone": (20, re.compile(r"\+?[0-9][0-9 \-]{4,18}[0-9]"), "digits, optionally + - and spaces"),
    "line1": (200, None, ""),
    "city": (80, None, ""),
    "postal_code": (
        12,
        re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-]{1,10}[A-Za-z0-9]"),
        "letters, digits",
    ),
}
FIELD_NAMES = tuple(_FIELDS)


def address_clean(address: object) -> dict[str, str]:
    """The address with only its five fields, trimmed; InvalidAddress names every bad field."""
    if not isinstance(address, dict):
        raise InvalidAddress(fields={"address": "Send the address as an object."})
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, (max_length, pattern, shape) in _FIELDS.items():
        value = address.get(name)
        if not isinstance(value, str) or not value.strip():
            errors[name] = "This field is required."
            continue
        value = " ".join(value.split())
        if len(value) > max_length:
            errors[name] = f"At most {max_length} characters."
        elif pattern is not None and not pattern.fullmatch(value):
            errors[name] = f"Enter a valid value ({shape})."
        else:
            cleaned[name] = value
    if errors:
        raise InvalidAddress(fields={"address": errors})
    return cleaned
