"""The earnings page's money-out forms: set the payee, ask for a payout. Each calls one service
of rewards.payouts; a refusal shows the page again with the reason on the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from backend.errors import ApplicationError
from backend.money import format_amount
from rewards import payouts
from rewards.pages.earnings import earnings
from rewards.pages.forms import PayeeForm, PayoutForm


def _again(request, **forms):
    """The earnings page with the refused form filled in (a GET render of a POST)."""
    request.method = "GET"
    return earnings(request, status=400, **forms)


@login_required
@require_POST
def payee(request):
    form = PayeeForm(request.POST)
    if not form.is_valid():
        return _again(request, payee_form=form)
    try:
        payouts.payee_set(user=request.user, **form.cleaned_data)
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _again(request, payee_form=form)
    messages.success(request, "Saved: payouts go there from now on.")
    return redirect("rewards:earnings")


@login_required
@require_POST
def payout(request):
    form = PayoutForm(request.POST)
    if not form.is_valid():
        return _again(request, payout_form=form)
    try:
        asked = payouts.payout_request(user=request.user, amount=form.cleaned_data["amount"])
    except ApplicationError as error:
        form.add_error("amount", error.message)
        return _again(request, payout_form=form)
    messages.success(request, f"Payout of {format_amount(asked.amount)} requested.")
    return redirect("rewards:earnings")
