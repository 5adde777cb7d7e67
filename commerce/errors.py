"""The shop's error codes: one class per code, each a member of backend.errors' family."""

from backend.errors import Conflict, InvalidInput, NotAllowed, NotFound


class NotForSale(Conflict):
    code = "not_for_sale"
    message = "This item is not for sale at the moment."


class InsufficientStock(Conflict):
    code = "insufficient_stock"
    message = "There is not enough stock of this item."


class LineLimitExceeded(Conflict):
    code = "line_limit_exceeded"
    message = "That is more of one item than a cart line can hold."


class CartEmpty(InvalidInput):
    code = "cart_empty"
    message = "Your cart is empty."


class InvalidCoupon(InvalidInput):
    code = "invalid_coupon"
    message = "This coupon code is not valid."


class InvalidAddress(InvalidInput):
    code = "invalid_address"
    message = "Check the delivery address."


# --- Merchants and catalog (helper A) --------------------------------------------------------


class NotMerchantStaff(NotAllowed):
    code = "not_merchant_staff"
    message = "Only a shop's staff can do that."


class NotMerchantOwner(NotAllowed):
    code = "not_merchant_owner"
    message = "Only the shop's owner can do that."


class AlreadyMerchantStaff(Conflict):
    code = "already_merchant_staff"
    message = "This person already works for a shop."


class CannotRemoveOwner(Conflict):
    code = "cannot_remove_owner"
    message = "The owner cannot be removed from their own shop."


class StockBelowReserved(Conflict):
    code = "stock_below_reserved"
    message = "Stock cannot go below what open orders hold."


class ProductNotFound(NotFound):
    message = "No such product."


class ShopNotFound(NotFound):
    message = "No such shop."


class InvalidImage(InvalidInput):
    code = "invalid_image"
    message = "The file is not a picture we can read."


class BadSignature(InvalidInput):
    code = "bad_signature"
    message = "The webhook signature is missing, invalid or outside the time tolerance."


class AmountMismatch(InvalidInput):
    code = "amount_mismatch"
    message = "The amount differs from what is due."


class PaymentClosed(Conflict):
    code = "payment_closed"
    message = "This payment can no longer be paid."


# --- Refunds (issue 4) ------------------------------------------------------------------------


class OrderNotRefundable(Conflict):
    code = "order_not_refundable"
    message = "This order cannot be refunded."


class RefundUnitsUnavailable(Conflict):
    code = "refund_units_unavailable"
    message = "Some of these units are already refunded or in an open refund request."


class RefundAlreadyDecided(Conflict):
    code = "refund_already_decided"
    message = "This refund request was already decided."
