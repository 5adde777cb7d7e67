"""The checkout page: address and a summary per shop; placing sends the buyer to pay."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from backend.errors import ApplicationError
from commerce.cart import selectors as cart_selectors
from commerce.checkout.services import checkout_place
from commerce.errors import InvalidAddress
from commerce.payments.providers import get_provider


class AddressForm(forms.Form):
    name = forms.CharField(max_length=80, label="Full name")
    phone = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    line1 = forms.CharField(max_length=200, label="Address")
    city = forms.CharField(max_length=80)
    postal_code = forms.CharField(max_length=12, label="Postal code")


@login_required
def checkout(request: HttpRequest) -> HttpResponse:
    summary = cart_selectors.cart_summarize(cart_selectors.cart_of_user(request.user))
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = checkout_place(buyer=request.user, address=form.cleaned_data)
        except InvalidAddress as error:
            for field, message in error.fields.get("address", {}).items():
                form.add_error(field if field in form.fields else None, message)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("commerce:cart")
        else:
            return redirect(get_provider().pay_url(result.payment))
    if not summary.lines and request.method == "GET":
        messages.info(request, "Your cart is empty.")
        return redirect("commerce:cart")
    return render(request, "commerce/checkout/checkout.html", {"form": form, "summary": summary})
