"""The sandbox gateway's hosted pay page (commerce:pay): the payer approves or declines.

The link carries a token (`?t=`) that only checkout hands out, and the page is for the payment's
buyer, signed in: anyone else gets a 404, whether or not the payment exists.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backend.errors import ApplicationError, NotFound
from commerce.payments import selectors, services


@login_required
@require_http_methods(["GET", "POST"])
def pay(request, payment_id: int):
    token = request.GET.get("t")
    try:
        payment = selectors.payment_for_pay_page(
            payment_id=payment_id, user=request.user, token=token
        )
    except NotFound as error:
        raise Http404(error.message) from error
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision in ("approve", "decline"):
            try:
                services.payment_authorize(
                    payment=payment, payer=request.user, approve=decision == "approve"
                )
            except ApplicationError as error:
                messages.error(request, error.message)
        return redirect(f"{request.path}?t={token}")
    orders = selectors.payment_orders(payment)
    return render(
        request,
        "commerce/payments/pay.html",
        {
            "payment": payment,
            "orders": orders,
            "payable": selectors.payment_payable(payment, orders),
            "awaiting": selectors.payment_awaiting_confirmation(payment),
            "token": token,
        },
    )
