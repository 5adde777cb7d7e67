"""Django admin for operators: each sub-package registers its models in its own admin module."""

from commerce.catalog import admin as catalog_admin  # noqa: F401
from commerce.orders import admin as orders_admin  # noqa: F401
from commerce.payments import admin as payments_admin  # noqa: F401
