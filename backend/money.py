"""Money helpers: integer minor units (fen, cents) end to end.

Amounts are plain `int`s counted in the currency's minor unit (two decimal places); rates are
integers in basis points (1 bp = 0.01 %). There is no Money class and no float or Decimal
anywhere: text becomes an int at the edge (`parse_amount`, `MoneyField`) and an int becomes text
on the way out (`format_amount`). Rounding happens in exactly one place, `apply_rate_bp`, which
rounds down; `allocate` never rounds, it hands out an exact remainder.

One currency per deployment: `currency()` names it, and every API object that carries money
carries it too.
"""

from __future__ import annotations

import re

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.errors import InvalidInput

MINOR_DIGITS = 2
MINOR_PER_MAJOR = 10**MINOR_DIGITS
# A ceiling far above any real price or balance, far below a 64-bit column's limit, so that
# sums of many amounts can never overflow the database and a typo of extra digits is refused.
MAX_AMOUNT = 10**15 - 1

# ASCII digits only (`\d` would also take Arabic-Indic and other Unicode digits); the integer
# part is canonical (no leading zeros) so one amount has one spelling.
_AMOUNT = re.compile(r"(?P<sign>-?)(?P<whole>0|[1-9][0-9]*)(?:\.(?P<frac>[0-9]{1,2}))?", re.ASCII)
_TOO_PRECISE = re.compile(r"-?[0-9]+\.[0-9]{3,}", re.ASCII)
_LEADING_ZERO = re.compile(r"-?0[0-9]+(\.[0-9]*)?", re.ASCII)
AMOUNT_PATTERN = r"^-?(0|[1-9][0-9]*)(\.[0-9]{1,2})?$"


def currency() -> str:
    """The deployment's one currency (ISO 4217 code), read from settings at call time."""
    return settings.CURRENCY


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_amount")


def parse_amount(text: str | int, *, allow_negative: bool = False, allow_zero: bool = True) -> int:
    """Parse a decimal amount into minor units, refusing anything that is not exactly an amount.

    Accepted: a string of ASCII digits with an optional point and one or two decimals
    (`"12"`, `"12.5"`, `"12.50"`, `"0.05"`), with a leading `-` only when `allow_negative`; or an
    `int`, read as whole major units (a JSON number `12` means `"12"`, i.e. 1200).
    Refused with `InvalidInput` (code `invalid_amount`): surrounding spaces, `+`, exponents,
    thousands separators, `nan`/`inf`, leading zeros (`"012"`), a bare point (`"12."`, `".5"`),
    more than two decimals, floats, booleans and any other type, zero when not `allow_zero`,
    and anything beyond `MAX_AMOUNT` minor units.
    """
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise _invalid('Enter the amount as a string such as "12.50".')
    if isinstance(text, int):
        minor = text * MINOR_PER_MAJOR
    else:
        match = _AMOUNT.fullmatch(text)
        if match is None:
            if _TOO_PRECISE.fullmatch(text):
                raise _invalid('An amount has at most two decimal places, e.g. "12.50".')
            if _LEADING_ZERO.fullmatch(text):
                raise _invalid('Write the amount without leading zeros, e.g. "7.50".')
            raise _invalid(
                'Enter an amount such as "12.50": digits, optionally a point and one or two '
                "decimals, nothing else."
            )
        if len(match["whole"]) > 16:
            raise _invalid("The amount is too large.")
        fraction = (match["frac"] or "").ljust(MINOR_DIGITS, "0")
        minor = int(match["whole"]) * MINOR_PER_MAJOR + int(fraction)
        if match["sign"]:
            if not allow_negative:
                raise _invalid("The amount cannot be negative.")
            minor = -minor
    if minor < 0 and not allow_negative:
        raise _invalid("The amount cannot be negative.")
    if minor == 0 and not allow_zero:
        raise _invalid("The amount must be more than zero.")
    if abs(minor) > MAX_AMOUNT:
        raise _invalid("The amount is too large.")
    return minor


def format_amount(minor: int) -> str:
    """Minor units as a decimal string with exactly two places: 1250 -> "12.50", -5 -> "-0.05"."""
    whole, fraction = divmod(abs(minor), MINOR_PER_MAJOR)
    sign = "-" if minor < 0 else ""
    return f"{sign}{whole}.{fraction:0{MINOR_DIGITS}d}"


# How readers write the currencies we expect; any other code is written after the amount.
CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}


def display_price(amount: str, code: str) -> str:
    """A decimal amount as people read it: ("12.50", "CNY") -> "¥12.50", ("12.50", "CHF") ->
    "12.50 CHF"."""
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{symbol}{amount}" if symbol else f"{amount} {code}"


def display_money(minor: int) -> str:
    """Minor units in the deployment's currency as people read them: 1250 -> "¥12.50"."""
    return display_price(format_amount(int(minor)), currency())


def apply_rate_bp(amount: int, rate_bp: int) -> int:
    """`amount × rate_bp / 10000` rounded down (toward minus infinity): the one rounding place.

    Commissions and fees are computed here, so the platform never pays out a fraction of a minor
    unit it did not receive. Integer arithmetic only. `rate_bp` must not be negative.
    """
    if rate_bp < 0:
        raise ValueError(f"a rate cannot be negative, got {rate_bp} bp")
    return amount * rate_bp // 10_000


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split `total` minor units over parts in proportion to `weights`, summing exactly to `total`.

    Largest remainder: each part first gets the floor of its exact share
    `total × weight / Σweights`; the units left over (fewer than the number of parts) go one each
    to the parts with the largest fractional remainders, and among equal remainders to the part
    nearer the END of the list, so with equal weights the leftover lands on the last parts (the
    "remainder on the last line" rule of the order discount). Every part is within one minor unit
    of its exact share and a zero weight always gets 0.

    All weights zero: a zero total gives all zeros; any other total raises `ValueError`, since
    there is no proportion to split by and giving the money to a zero-weight part would hide a
    caller's mistake. Negative weights and an empty list raise `ValueError` as well. A negative
    total is split as its magnitude and negated, so `allocate(-t, w) == -allocate(t, w)`.
    """
    if not weights:
        raise ValueError("allocate needs at least one part")
    if any(weight < 0 for weight in weights):
        raise ValueError(f"weights cannot be negative: {weights}")
    weight_sum = sum(weights)
    if weight_sum == 0:
        if total != 0:
            raise ValueError("cannot allocate a non-zero total over all-zero weights")
        return [0] * len(weights)
    if total < 0:
        return [-part for part in allocate(-total, weights)]
    shares = [divmod(total * weight, weight_sum) for weight in weights]
    parts = [floor for floor, _ in shares]
    leftover = total - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i][1], i), reverse=True)
    for index in by_remainder[:leftover]:
        parts[index] += 1
    return parts


@extend_schema_field(
    {"type": "string", "pattern": AMOUNT_PATTERN, "example": "12.50", "description": "Amount"}
)
class MoneyField(serializers.Field):
    """An amount in the API: a two-place decimal string outside, an int of minor units inside.

    Input goes through `parse_amount`; a refusal becomes a DRF `ValidationError` on this field,
    so the API's error shape names the field and the reason.
    """

    def __init__(self, *, allow_negative: bool = False, allow_zero: bool = True, **kwargs) -> None:
        self.allow_negative = allow_negative
        self.allow_zero = allow_zero
        super().__init__(**kwargs)

    def to_representation(self, value: int) -> str:
        return format_amount(value)

    def to_internal_value(self, data: object) -> int:
        try:
            return parse_amount(
                data, allow_negative=self.allow_negative, allow_zero=self.allow_zero
            )
        except InvalidInput as error:
            raise serializers.ValidationError(error.message, code=error.code) from error
