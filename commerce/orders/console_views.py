"""The merchant console's order pages: the queue to ship (with the ship form), every order by
status, one order with its timeline. Another shop's order is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backend.accounts.forms import add_error
from backend.errors import ApplicationError
from commerce.console.views import shop_page
from commerce.models import OrderStatus
from commerce.orders import lifecycle, selectors
from commerce.orders.forms import ShipForm

TO_SHIP = "to_ship"


def _timeline(order) -> list[dict]:
    return [
        {"label": OrderStatus(event.to_status).label, "event": event}
        for event in order.events.all()
    ]


def _can_ship(order) -> bool:
    return (
        order.status in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)
        and getattr(order, "shipment", None) is None
    )


@shop_page
def console_orders(request, shop):
    """`?status=to_ship` (the default) is the queue, oldest first; any other status filters."""
    status = request.GET.get("status", TO_SHIP)
    if status == TO_SHIP:
        orders = selectors.orders_to_ship(shop)
    elif status in OrderStatus.values:
        orders = selectors.orders_of_shop(shop, status=status)
    else:
        status, orders = "", selectors.orders_of_shop(shop)
    page = Paginator(orders, 20).get_page(request.GET.get("page"))
    # An unpaid order is no business of the shop yet (orders_of_shop leaves them out).
    chips = [(TO_SHIP, "To ship"), ("", "All")] + [
        choice for choice in OrderStatus.choices if choice[0] != OrderStatus.PENDING_PAYMENT
    ]
    return render(
        request,
        "commerce/orders/console_orders.html",
        {
            "shop": shop,
            "page": page,
            "orders": page,
            "status": status,
            "chips": chips,
            "to_ship": status == TO_SHIP,
            "ship_form": ShipForm(),
        },
    )


@shop_page
def console_order_detail(request, shop, order_id: int):
    order = selectors.order_of_shop(shop, order_id)
    return render(
        request,
        "commerce/orders/console_order_detail.html",
        {
            "shop": shop,
            "order": order,
            "timeline": _timeline(order),
            "can_ship": _can_ship(order),
            "ship_form": ShipForm(),
        },
    )


@shop_page
@require_POST
def console_order_ship(request, shop, order_id: int):
    order = selectors.order_of_shop(shop, order_id)
    form = ShipForm(request.POST)
    if form.is_valid():
        try:
            lifecycle.order_ship(order=order, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_error(form, error)
        else:
            messages.success(request, f"Order {order.pk} is on its way.")
            # From the queue, back to the queue for the next parcel; else to the order.
            if request.POST.get("next") == TO_SHIP:
                return redirect("commerce:console_orders")
            return redirect("commerce:console_order_detail", order_id=order.pk)
    return render(
        request,
        "commerce/orders/console_order_detail.html",
        {
            "shop": shop,
            "order": order,
            "timeline": _timeline(order),
            "can_ship": _can_ship(order),
            "ship_form": form,
        },
        status=400,
    )
