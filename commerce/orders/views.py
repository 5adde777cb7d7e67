"""The buyer's order pages: list, detail with its timeline and shipment, cancel while unpaid,
confirm delivery once shipped."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backend.errors import ApplicationError, NotFound
from commerce.models import OrderStatus
from commerce.orders import lifecycle, selectors, services
from commerce.payments.providers import get_provider


def _order_or_404(request: HttpRequest, order_id: int):
    try:
        return selectors.order_of_buyer(request.user, order_id)
    except NotFound as error:
        raise Http404(error.message) from error


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.orders_of_buyer(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "commerce/orders/order_list.html", {"page": page, "orders": page})


@login_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order_or_404(request, order_id)
    pending = order.status == OrderStatus.PENDING_PAYMENT
    return render(
        request,
        "commerce/orders/order_detail.html",
        {
            "order": order,
            "pay_url": get_provider(order.payment.provider).pay_url(order.payment)
            if pending
            else None,
            "can_cancel": pending,
            "can_confirm_delivery": order.delivered_at is None
            and getattr(order, "shipment", None) is not None
            and order.status in (OrderStatus.SHIPPED, OrderStatus.PARTIALLY_REFUNDED),
            "timeline": [
                {"label": OrderStatus(event.to_status).label, "event": event}
                for event in order.events.all()
            ],
        },
    )


@login_required
@require_POST
def order_cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order_or_404(request, order_id)
    try:
        services.order_cancel(order=order, actor=request.user, reason="Cancelled by the buyer.")
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Order cancelled.")
    return redirect("commerce:order_detail", order_id=order.pk)


@login_required
@require_POST
def order_confirm_delivery(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order_or_404(request, order_id)
    try:
        lifecycle.order_confirm_delivery(order=order, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Thanks! Enjoy your order.")
    return redirect("commerce:order_detail", order_id=order.pk)
