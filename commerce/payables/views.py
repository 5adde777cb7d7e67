"""The console's "Money" page: the shop's payable balance and its movements."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commerce.console.views import shop_page
from commerce.payables.selectors import shop_movements, shop_payable_balance

PAGE_SIZE = 25


@shop_page
@require_GET
def console_money(request, shop):
    balance = shop_payable_balance(shop)
    page = Paginator(shop_movements(shop), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "commerce/payables/money.html",
        {
            "shop": shop,
            "balance": balance,
            "balance_magnitude": abs(balance),
            "page": page,
            # The money filter shows a magnitude; the sign is drawn apart as "+" or "−".
            "movements": [(entry, abs(entry.amount)) for entry in page.object_list],
        },
    )
