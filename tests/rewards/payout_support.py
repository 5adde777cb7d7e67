"""Steps shared by the payout tests: a sharer with money available and a payee, and confirmed
commissions made of a real paid order, link, click and decision.

The money reaches `available` by one posting from the shop's payable, the net effect of
accrual then confirmation; the commission flow itself is tested by the commission tests.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from backend.ledger.models import AccountKind
from backend.ledger.selectors import account_balance_from_entries, owner_balances
from backend.ledger.services import account_get_or_create, transaction_post
from rewards.models import Commission, CommissionStatus
from rewards.payouts import payee_set
from shoplinks.models import Decision, Reason
from tests.commerce.lifecycle_support import paid_order
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory
from tests.shoplinks.attribution_support import make_link, stored_click

SHARER_KINDS = (
    AccountKind.SHARER_PENDING,
    AccountKind.SHARER_AVAILABLE,
    AccountKind.SHARER_IN_PAYOUT,
    AccountKind.SHARER_PAID_OUT,
)


def fund(sharer, amount: int, *, merchant_id: int | None = None, key: str = "") -> None:
    """`amount` minor units onto the sharer's available balance, funded by a shop's payable."""
    merchant_id = merchant_id or MerchantFactory().pk
    transaction_post(
        idempotency_key=key or f"test-fund:{sharer.pk}:{timezone.now().timestamp()}:{amount}",
        entries=[
            (
                account_get_or_create(kind=AccountKind.MERCHANT_PAYABLE, owner_id=merchant_id),
                -amount,
            ),
            (account_get_or_create(kind=AccountKind.SHARER_AVAILABLE, owner_id=sharer.pk), amount),
        ],
        description="Test: confirmed commissions",
    )


def sharer_with_payee(**kw):
    sharer = UserFactory(**kw)
    payee_set(user=sharer, method="alipay", account="ann@example.com", real_name="Ann Sharer")
    return sharer


def confirmed_commission(sharer, amount: int, *, confirmed_at: datetime) -> Commission:
    """A confirmed commission of `amount` on a real paid order bought through the sharer's link,
    its money on the sharer's available balance."""
    order = paid_order()
    line = order.lines.get()
    link = make_link(sharer, line.product)
    click = stored_click(link, user=order.buyer)
    decision = Decision.objects.create(
        line=line,
        order=order,
        product=line.product,
        buyer=order.buyer,
        link=link,
        click=click,
        sharer=sharer,
        reason=Reason.CREDITED,
        final=True,
        net_amount=line.net_amount,
        placed_at=order.created_at,
    )
    commission = Commission.objects.create(
        line=line,
        order=order,
        product=line.product,
        merchant=line.merchant,
        sharer=sharer,
        decision=decision,
        link=link,
        click=click,
        base=line.net_amount,
        rate_bp=1000,
        rule_source="default",
        accrued_amount=amount,
        amount=amount,
        status=CommissionStatus.CONFIRMED,
        currency=order.currency,
        created_at=confirmed_at,
        confirmed_at=confirmed_at,
    )
    fund(sharer, amount, merchant_id=line.merchant_id, key=f"test-commission:{commission.pk}")
    return commission


def balances(sharer) -> dict[str, int]:
    """The sharer's four balances, each checked against the sum of its ledger entries."""
    cached = owner_balances(owner_id=sharer.pk, kinds=SHARER_KINDS)
    for kind in SHARER_KINDS:
        account = account_get_or_create(kind=kind, owner_id=sharer.pk)
        assert account_balance_from_entries(account) == cached[kind], kind
    return {kind.removeprefix("sharer_"): cached[kind] for kind in SHARER_KINDS}
