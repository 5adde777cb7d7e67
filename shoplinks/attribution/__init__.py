"""Attribution of paid order lines to share links, and the merge of a visitor's clicks at
sign-in. The rules are in `rules`, the event handlers in `handlers`."""

from shoplinks.attribution.handlers import on_order_paid, on_user_signed_in

__all__ = ["on_order_paid", "on_user_signed_in"]
