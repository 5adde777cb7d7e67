"""The shop's data. One module per sub-domain; the invariants the database can hold, it holds."""

from commerce.models.cart import Cart, CartLine
from commerce.models.catalog import SKU, Category, Product, ProductImage
from commerce.models.merchants import Merchant, MerchantStaff
from commerce.models.orders import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Refund,
    RefundLine,
    RefundStatus,
    Shipment,
)
from commerce.models.payments import (
    Payment,
    PaymentRefund,
    PaymentStatus,
    SandboxOperation,
    WebhookEvent,
)

__all__ = [
    "SKU",
    "Cart",
    "CartLine",
    "Category",
    "Merchant",
    "MerchantStaff",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderStatus",
    "Payment",
    "PaymentRefund",
    "PaymentStatus",
    "Product",
    "Refund",
    "RefundLine",
    "RefundStatus",
    "Shipment",
    "ProductImage",
    "SandboxOperation",
    "WebhookEvent",
]
