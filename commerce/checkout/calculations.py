"""The checkout's money maths, pure functions on integers (minor units).

Shared by the cart (its preview) and checkout (what is charged), so the two never disagree.
"""

from dataclasses import dataclass

from backend.money import allocate
from commerce.models import Merchant


def shipping_fee(merchant: Merchant, goods: int) -> int:
    """The shop's flat fee, waived when its goods (after discount) reach its free threshold."""
    threshold = merchant.free_shipping_threshold
    if threshold is not None and goods >= threshold:
        return 0
    return merchant.shipping_fee


@dataclass(frozen=True)
class LineAmounts:
    gross: int
    discount: int
    net: int


@dataclass(frozen=True)
class OrderAmounts:
    lines: list[LineAmounts]
    subtotal: int
    discount: int
    shipping: int
    total: int


def order_amounts(
    merchant: Merchant, lines: list[tuple[int, int]], *, discount: int = 0
) -> OrderAmounts:
    """Amounts of one shop's order from its `(unit_price, quantity)` lines and order discount.

    The discount is spread over the lines in proportion to their gross with backend.money's
    `allocate` (largest remainder), so the line discounts add up to it exactly, and
    total = Σ net + shipping = subtotal − discount + shipping, exactly.
    """
    gross = [unit_price * quantity for unit_price, quantity in lines]
    subtotal = sum(gross)
    if not 0 <= discount <= subtotal:
        raise ValueError(f"a discount of {discount} does not fit a subtotal of {subtotal}")
    shares = allocate(discount, gross)
    amounts = [
        LineAmounts(gross=g, discount=share, net=g - share)
        for g, share in zip(gross, shares, strict=True)
    ]
    goods = subtotal - discount
    shipping = shipping_fee(merchant, goods)
    return OrderAmounts(
        lines=amounts,
        subtotal=subtotal,
        discount=discount,
        shipping=shipping,
        total=goods + shipping,
    )
