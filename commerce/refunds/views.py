"""Refund pages: the buyer's request form (shown on the order page), the console's Refunds list
with approve / reject. Another user's order or another shop's refund is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backend.errors import ApplicationError, NotFound
from commerce.console.views import shop_page
from commerce.models import RefundStatus
from commerce.orders.selectors import order_of_buyer
from commerce.refunds import selectors, services


@login_required
@require_POST
def order_refund_create(request: HttpRequest, order_id: int) -> HttpResponse:
    """The form posts `qty_<line id>` per line (0 or blank: not that line) and `reason`."""
    try:
        order = order_of_buyer(request.user, order_id)
    except NotFound as error:
        raise Http404(error.message) from error
    asks = []
    for line in order.lines.all():
        raw = request.POST.get(f"qty_{line.pk}", "").strip() or "0"
        if not raw.isdigit():
            messages.error(request, "Quantities are whole numbers.")
            return redirect("commerce:order_detail", order_id=order.pk)
        if int(raw):
            asks.append(services.LineAsk(line_id=line.pk, quantity=int(raw)))
    try:
        services.refund_request(
            order=order, buyer=request.user, lines=asks, reason=request.POST.get("reason", "")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Refund requested. The shop will decide soon.")
    return redirect("commerce:order_detail", order_id=order.pk)


@shop_page
def console_refunds(request, shop):
    status = request.GET.get("status") or ""
    if status not in RefundStatus.values:
        status = ""
    refunds = selectors.refunds_of_merchant(shop, status=status or None)
    page = Paginator(refunds, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "commerce/refunds/console_refunds.html",
        {
            "shop": shop,
            "page": page,
            "status": status,
            "statuses": RefundStatus.choices,
        },
    )


@shop_page
@require_POST
def console_refund_decide(request, shop, refund_id: int, decision: str):
    refund = selectors.refund_of_merchant(shop, refund_id)
    decide = services.refund_approve if decision == "approve" else services.refund_reject
    try:
        decide(refund=refund, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Refund {refund.pk} {'approved' if decision == 'approve' else 'rejected'}."
        )
    return redirect("commerce:console_refunds")
