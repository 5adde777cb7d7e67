"""Cart pages: visitors and users alike; the add form posts here from the product page."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backend.errors import ApplicationError, NotFound
from commerce.cart import selectors, services
from commerce.cart.session import request_cart


class AddForm(forms.Form):
    sku_id = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(min_value=1, initial=1)


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(min_value=1)


def _cart_context(request: HttpRequest) -> dict:
    return {"summary": selectors.cart_summarize(request_cart(request))}


def _cart_response(request: HttpRequest) -> HttpResponse:
    """htmx swaps the cart's body in place; a plain form post goes back to the cart page."""
    if request.htmx:
        return render(request, "commerce/cart/_cart_body.html", _cart_context(request))
    return redirect("commerce:cart")


def cart(request: HttpRequest) -> HttpResponse:
    return render(request, "commerce/cart/cart.html", _cart_context(request))


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = AddForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an option and a quantity of at least 1.")
        return redirect(request.headers.get("Referer") or "commerce:cart")
    try:
        line = services.cart_add(cart=request_cart(request, create=True), **form.cleaned_data)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(request.headers.get("Referer") or "commerce:cart")
    messages.success(request, f"Added to your cart ({line.quantity} in it now).")
    return redirect("commerce:cart")


def _line_action(request: HttpRequest, line_id: int, action) -> HttpResponse:
    cart = request_cart(request)
    try:
        if cart is None:
            raise NotFound("This cart line does not exist.")
        action(cart)
    except ApplicationError as error:
        messages.error(request, error.message)
    return _cart_response(request)


@require_POST
def cart_line_update(request: HttpRequest, line_id: int) -> HttpResponse:
    form = QuantityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The quantity must be a whole number of at least 1.")
        return _cart_response(request)
    quantity = form.cleaned_data["quantity"]
    return _line_action(
        request,
        line_id,
        lambda cart: services.cart_line_update(cart=cart, line_id=line_id, quantity=quantity),
    )


@require_POST
def cart_line_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    return _line_action(
        request, line_id, lambda cart: services.cart_line_remove(cart=cart, line_id=line_id)
    )
