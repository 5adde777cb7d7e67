"""`{% order_refunds order %}`: the refund part of the buyer's order page (state of each request,
and the request form while the order may be refunded)."""

from django import template

from commerce.refunds import selectors
from commerce.refunds.services import REFUNDABLE

register = template.Library()


@register.inclusion_tag("commerce/refunds/_order_refunds.html", takes_context=True)
def order_refunds(context, order) -> dict:
    refunds = list(selectors.refunds_of_order(context["request"].user, order.pk))
    left = selectors.units_left(order) if order.status in REFUNDABLE else {}
    lines = [(line, left[line.pk]) for line in order.lines.all() if left.get(line.pk)]
    return {
        "order": order,
        "refunds": refunds,
        "lines": lines,
        "csrf_token": context.get("csrf_token"),
    }
