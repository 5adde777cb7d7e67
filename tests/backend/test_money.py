"""Money helpers: strict parsing, formatting, the one rounding, exact allocation, the API field."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers

from backend.api.errors import exception_handler
from backend.errors import InvalidInput
from backend.money import (
    MAX_AMOUNT,
    MoneyField,
    allocate,
    apply_rate_bp,
    currency,
    format_amount,
    parse_amount,
)


@pytest.mark.parametrize(
    ("text", "minor"),
    [("12.50", 1250), ("12.5", 1250), ("12", 1200), ("0.05", 5), ("0", 0), ("0.00", 0)],
)
def test_parse_accepts_plain_amounts(text, minor):
    """Digits with an optional point and one or two decimals become minor units."""
    assert parse_amount(text) == minor


def test_parse_reads_an_int_as_whole_units():
    """A JSON number 12 means the same as "12"."""
    assert parse_amount(12) == 1200


@pytest.mark.parametrize(
    "text",
    [
        "12.5.0",
        "1e3",
        "12.505",
        " ",
        "",
        " 12",
        "12 ",
        "+1",
        "-1",
        "nan",
        "NaN",
        "inf",
        "1,000",
        "12,50",
        "012",
        "12.",
        ".5",
        "0x10",
        "１２",
        "١٢",
        "1_000",
        "-0",
    ],
)
def test_parse_refuses_anything_else(text):
    """Every spelling that is not exactly an amount is refused with code invalid_amount."""
    with pytest.raises(InvalidInput) as caught:
        parse_amount(text)
    assert caught.value.code == "invalid_amount"
    assert caught.value.message


@pytest.mark.parametrize("value", [12.5, 12.0, True, False, None, b"12", ["12"], {"a": 1}])
def test_parse_refuses_non_strings_other_than_int(value):
    """Floats, booleans, bytes, lists and None are refused, not coerced."""
    with pytest.raises(InvalidInput) as caught:
        parse_amount(value)
    assert caught.value.code == "invalid_amount"


def test_parse_explains_too_many_decimals():
    """The message for three decimals says what is wrong."""
    with pytest.raises(InvalidInput, match="two decimal places"):
        parse_amount("12.505")


def test_parse_negative_only_when_allowed():
    """A negative amount (string or int) is refused by default and accepted when allowed."""
    with pytest.raises(InvalidInput, match="negative"):
        parse_amount(-1)
    assert parse_amount("-0.05", allow_negative=True) == -5
    assert parse_amount(-3, allow_negative=True) == -300


def test_parse_zero_refused_when_not_allowed():
    """allow_zero=False refuses zero in any spelling."""
    for text in ("0", "0.00", 0):
        with pytest.raises(InvalidInput, match="more than zero"):
            parse_amount(text, allow_zero=False)


def test_parse_refuses_amounts_past_the_ceiling():
    """An amount above MAX_AMOUNT (or thousands of digits) is refused, never overflows."""
    assert parse_amount(format_amount(MAX_AMOUNT)) == MAX_AMOUNT
    for text in (format_amount(MAX_AMOUNT + 1), "9" * 5000, 10**20):
        with pytest.raises(InvalidInput, match="too large"):
            parse_amount(text)


@pytest.mark.parametrize(
    ("minor", "text"),
    [
        (1250, "12.50"),
        (-5, "-0.05"),
        (0, "0.00"),
        (7, "0.07"),
        (100, "1.00"),
        (-123456, "-1234.56"),
    ],
)
def test_format_gives_two_places(minor, text):
    """Minor units print with exactly two decimals and a sign only when negative."""
    assert format_amount(minor) == text


@given(st.integers(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT))
def test_format_then_parse_round_trips(minor):
    """Parsing what format_amount printed gives back the same minor units."""
    assert parse_amount(format_amount(minor), allow_negative=True) == minor


@pytest.mark.parametrize(
    ("amount", "rate_bp", "result"),
    [(10_000, 500, 500), (999, 500, 49), (1, 9_999, 0), (12_345, 250, 308), (-999, 500, -50)],
)
def test_rate_rounds_down(amount, rate_bp, result):
    """A basis-point rate is applied with integer maths and rounded toward minus infinity."""
    assert apply_rate_bp(amount, rate_bp) == result


@given(st.integers(min_value=0, max_value=MAX_AMOUNT), st.integers(min_value=0, max_value=10_000))
def test_rate_is_the_floor_of_the_exact_product(amount, rate_bp):
    """apply_rate_bp equals ⌊amount × rate / 10000⌋ computed exactly."""
    exact = Fraction(amount * rate_bp, 10_000)
    result = apply_rate_bp(amount, rate_bp)
    assert result <= exact < result + 1


def test_rate_refuses_negative_rates():
    """A negative rate is a programming error."""
    with pytest.raises(ValueError, match="negative"):
        apply_rate_bp(100, -1)


def test_allocate_ties_go_to_the_last_parts():
    """With equal weights the leftover units land on the last parts."""
    assert allocate(100, [1, 1, 1]) == [33, 33, 34]
    assert allocate(101, [1, 1, 1]) == [33, 34, 34]


def test_allocate_largest_remainder_wins_before_position():
    """The part with the larger fractional remainder gets the unit, wherever it stands."""
    # Exact shares 10 × 2/3 = 6.67 and 10 × 1/3 = 3.33: the first part takes the leftover.
    assert allocate(10, [2, 1]) == [7, 3]


def test_allocate_gives_zero_weights_nothing():
    """A zero weight gets 0 even when units are left over."""
    assert allocate(10, [0, 3, 3, 0]) == [0, 5, 5, 0]
    assert allocate(7, [0, 1, 1, 0]) == [0, 3, 4, 0]


def test_allocate_negative_total_mirrors_positive():
    """A negative total splits like its magnitude, negated."""
    assert allocate(-100, [1, 1, 1]) == [-33, -33, -34]


def test_allocate_all_zero_weights():
    """All-zero weights split a zero total into zeros and refuse any other total."""
    assert allocate(0, [0, 0]) == [0, 0]
    with pytest.raises(ValueError, match="all-zero"):
        allocate(5, [0, 0])


@pytest.mark.parametrize("weights", [[], [1, -1]])
def test_allocate_refuses_bad_weights(weights):
    """An empty list or a negative weight is a programming error."""
    with pytest.raises(ValueError, match="part|negative"):
        allocate(10, weights)


@given(
    st.integers(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT),
    st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=30).filter(any),
)
def test_allocation_is_exact_and_fair(total, weights):
    """Parts sum exactly to the total, each within one unit of its exact share, zeros get 0."""
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total * weight, weight_sum)
        assert abs(part - exact) < 1
        if weight == 0:
            assert part == 0


def test_currency_follows_settings(settings):
    """currency() names the deployment's currency, read at call time."""
    settings.CURRENCY = "EUR"
    assert currency() == "EUR"


class _PriceSerializer(serializers.Serializer):
    price = MoneyField()
    change = MoneyField(allow_negative=True, required=False)
    payout = MoneyField(allow_zero=False, required=False)


def test_money_field_reads_and_writes_strings():
    """The field takes "12.5" in, gives an int inside and "12.50" out."""
    serializer = _PriceSerializer(data={"price": "12.5", "change": "-1"})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"price": 1250, "change": -100}
    assert _PriceSerializer({"price": 1250}).data == {"price": "12.50"}


@pytest.mark.parametrize(
    "data", [{"price": "1e3"}, {"price": "-1"}, {"price": 1.5}, {"price": "5", "payout": "0"}]
)
def test_money_field_refusal_is_a_field_error(data):
    """A bad amount is a DRF validation error on that field with code invalid_amount."""
    serializer = _PriceSerializer(data=data)
    assert not serializer.is_valid()
    (field,) = serializer.errors
    assert serializer.errors[field][0].code == "invalid_amount"


def test_money_field_refusal_renders_in_the_api_error_shape():
    """Through the API's exception handler a bad amount is a 400 naming the field."""
    serializer = _PriceSerializer(data={"price": "12.505"})
    with pytest.raises(serializers.ValidationError) as caught:
        serializer.is_valid(raise_exception=True)
    response = exception_handler(caught.value, {})
    assert response.status_code == 400
    assert response.data["error"]["code"] == "invalid"
    assert "two decimal places" in response.data["error"]["fields"]["price"][0]
