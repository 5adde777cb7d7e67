"""The merchant console's pages: open a shop, its settings, staff, products, SKUs and stock.

Each page acts on the signed-in user's own shop; another shop's product or SKU is a 404.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from backend.accounts import selectors as accounts
from backend.accounts.errors import UserNotFound
from backend.accounts.forms import add_error
from backend.errors import ApplicationError, NotFound
from commerce.catalog import selectors as catalog
from commerce.catalog import services
from commerce.console import forms
from commerce.console.selectors import shop_summary, staff_member
from commerce.errors import NotMerchantOwner


def shop_page(view):
    """Signed in and staff of a shop; the shop is passed on. Others go to the console home."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        shop = catalog.shop_for_user(request.user)
        if shop is None:
            messages.info(request, "Open a shop first.")
            return redirect("commerce:console_home")
        try:
            return view(request, shop, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error

    return wrapper


@login_required
@require_http_methods(["GET", "POST"])
def console_home(request):
    membership = catalog.membership_for_user(request.user)
    if membership:
        shop = membership.merchant
        return render(
            request,
            "commerce/console/home.html",
            {"shop": shop, "membership": membership, "summary": shop_summary(shop)},
        )
    form = forms.OpenShopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.merchant_create(owner=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_error(form, error)
        else:
            messages.success(request, "Your shop is open. Add your first product!")
            return redirect("commerce:console_home")
    return render(request, "commerce/console/open_shop.html", {"form": form})


@shop_page
@require_http_methods(["GET", "POST"])
def console_shop(request, shop):
    initial = {
        "name": shop.name,
        "description": shop.description,
        "shipping_fee": shop.shipping_fee,
        "free_shipping_threshold": shop.free_shipping_threshold,
    }
    form = forms.ShopSettingsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        logo = values.pop("logo") or None
        try:
            services.merchant_update(merchant=shop, actor=request.user, logo=logo, **values)
        except ApplicationError as error:
            add_error(form, error)
        else:
            messages.success(request, "Shop settings saved.")
            return redirect("commerce:console_shop")
    return render(request, "commerce/console/shop.html", {"shop": shop, "form": form})


def _require_owner(request, shop) -> None:
    # The services refuse too; checking first keeps a staff member's stray POST a plain 403.
    if shop.owner_id != request.user.pk:
        raise PermissionDenied(NotMerchantOwner.message)


@shop_page
@require_http_methods(["GET", "POST"])
def console_staff(request, shop):
    """Everyone on the staff sees who works here; only the owner adds and removes people."""
    is_owner = shop.owner_id == request.user.pk
    form = forms.StaffAddForm(request.POST or None)
    if request.method == "POST":
        _require_owner(request, shop)
        if form.is_valid():
            username = form.cleaned_data["username"]
            try:
                user = accounts.user_by_username(username)
                services.merchant_staff_add(merchant=shop, actor=request.user, user=user)
            except UserNotFound:
                form.add_error("username", f"Nobody here is called @{username}.")
            except ApplicationError as error:
                add_error(form, error)
            else:
                messages.success(request, f"{user.name} now works for {shop.name}.")
                return redirect("commerce:console_staff")
    return render(
        request,
        "commerce/console/staff.html",
        {
            "shop": shop,
            "staff": catalog.shop_staff(shop),
            "is_owner": is_owner,
            "form": form if is_owner else None,
        },
    )


@shop_page
@require_POST
def console_staff_remove(request, shop, user_id: int):
    _require_owner(request, shop)
    member = staff_member(shop, user_id)
    try:
        services.merchant_staff_remove(merchant=shop, actor=request.user, user=member.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{member.user.name} no longer works for {shop.name}.")
    return redirect("commerce:console_staff")


@shop_page
def console_products(request, shop):
    return render(
        request,
        "commerce/console/products.html",
        {"shop": shop, "products": catalog.shop_products(shop)},
    )


@shop_page
@require_http_methods(["GET", "POST"])
def console_product_create(request, shop):
    form = forms.ProductForm(request.POST or None, prefix="product")
    skus = forms.SkuFormSet(request.POST or None, prefix="skus")
    if request.method == "POST" and form.is_valid() and skus.is_valid():
        values = form.cleaned_data
        try:
            product = services.product_create(
                merchant=shop,
                actor=request.user,
                name=values["name"],
                description=values["description"],
                category=values["category"],
                commission_rate_bp=values["commission_rate_bp"],
                skus=[row.sku_input() for row in skus if row.has_changed()],
            )
        except ApplicationError as error:
            add_error(form, error)
        else:
            messages.success(request, f"{product.name} is on sale.")
            return redirect("commerce:console_product_edit", product_id=product.pk)
    return render(
        request, "commerce/console/product_create.html", {"shop": shop, "form": form, "skus": skus}
    )


@shop_page
@require_http_methods(["GET", "POST"])
def console_product_edit(request, shop, product_id: int):
    product = catalog.shop_product(shop, product_id)
    action = request.POST.get("action") if request.method == "POST" else None
    initial = {
        "name": product.name,
        "description": product.description,
        "category": product.category_id,
        "commission_rate_bp": product.commission_rate_bp,
        "active": product.active,
    }
    form = forms.ProductEditForm(
        request.POST if action == "product" else None, prefix="product", initial=initial
    )
    new_sku = forms.SkuForm(request.POST if action == "sku" else None, prefix="sku")
    image_form_error = None
    try:
        if action == "product" and form.is_valid():
            services.product_update(product=product, actor=request.user, **form.cleaned_data)
            messages.success(request, "Product saved.")
            return redirect("commerce:console_product_edit", product_id=product.pk)
        if action == "sku" and new_sku.is_valid():
            services.sku_add(product=product, actor=request.user, sku=new_sku.sku_input())
            messages.success(request, "Option added.")
            return redirect("commerce:console_product_edit", product_id=product.pk)
        if action == "image":
            services.product_image_add(
                product=product, actor=request.user, upload=request.FILES.get("image")
            )
            messages.success(request, "Picture added.")
            return redirect("commerce:console_product_edit", product_id=product.pk)
    except ApplicationError as error:
        if action == "image":
            image_form_error = error.message
        else:
            add_error(new_sku if action == "sku" else form, error)
    return render(
        request,
        "commerce/console/product_edit.html",
        {
            "shop": shop,
            "product": product,
            "form": form,
            "new_sku": new_sku,
            "image_error": image_form_error,
        },
    )


@shop_page
@require_http_methods(["GET", "POST"])
def console_sku_edit(request, shop, sku_id: int):
    sku = catalog.shop_sku(shop, sku_id)
    initial = {
        "name": sku.name,
        "price": sku.price,
        "stock": sku.on_hand,
        "best_before": sku.best_before,
        "harvest_date": sku.harvest_date,
        "active": sku.active,
    }
    form = forms.SkuEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.sku_update(sku=sku, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_error(form, error)
        else:
            messages.success(request, f"{sku.name} saved.")
            return redirect("commerce:console_product_edit", product_id=sku.product_id)
    return render(
        request, "commerce/console/sku_edit.html", {"shop": shop, "sku": sku, "form": form}
    )
