"""Audit rows for stock, price and availability changes (DESIGN.md), and the audit app itself."""

import datetime

import pytest
from django.db import transaction

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from commerce.catalog import services
from commerce.errors import StockBelowReserved
from commerce.models import Category
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory, SKUFactory

pytestmark = pytest.mark.django_db


def test_stock_edit_leaves_before_and_after():
    """Changing stock records who, the SKU, and on_hand before and after."""
    sku = SKUFactory(on_hand=10)
    actor = sku.product.merchant.owner
    services.sku_update(sku=sku, actor=actor, stock=4)
    entry = AuditEntry.objects.get(action="sku.update")
    assert (entry.actor, entry.target_type, entry.target_id) == (actor, "commerce.sku", str(sku.pk))
    assert (entry.before, entry.after) == ({"on_hand": 10}, {"on_hand": 4})


def test_price_and_active_changes_are_audited():
    """Price and active changes go into the same row, only the fields that changed."""
    sku = SKUFactory(price=1000)
    services.sku_update(sku=sku, actor=None, price=1200, active=False, name=sku.name)
    entry = AuditEntry.objects.get(action="sku.update")
    assert entry.before == {"price": 1000, "active": True}
    assert entry.after == {"price": 1200, "active": False}
    assert entry.actor is None


def test_no_change_no_row():
    """Saving the same values leaves no audit row."""
    sku = SKUFactory(on_hand=5)
    services.sku_update(sku=sku, actor=None, stock=5, price=sku.price)
    assert not AuditEntry.objects.filter(action="sku.update").exists()


def test_refused_stock_edit_leaves_no_row():
    """A stock edit refused below reserved changes nothing and records nothing."""
    sku = SKUFactory(on_hand=5, reserved=5)
    with pytest.raises(StockBelowReserved):
        services.sku_update(sku=sku, actor=None, stock=2)
    assert not AuditEntry.objects.filter(action="sku.update").exists()


def test_product_creation_audits_initial_stock():
    """Creating a product records the product and each SKU's starting stock."""
    shop = MerchantFactory()
    product = services.product_create(
        merchant=shop,
        actor=shop.owner,
        name="Bread",
        description="",
        category=Category.objects.get(slug="bread"),
        skus=[services.SkuInput("Loaf", 800, 12), services.SkuInput("Half", 450, 6)],
    )
    rows = AuditEntry.objects.filter(action="sku.create").order_by("id")
    assert [row.after["on_hand"] for row in rows] == [12, 6]
    assert AuditEntry.objects.filter(action="product.create", target_id=str(product.pk)).exists()


def test_product_deactivation_is_audited():
    """Taking a product off sale records active before/after."""
    product = SKUFactory().product
    services.product_update(product=product, actor=None, active=False)
    entry = AuditEntry.objects.get(action="product.update")
    assert (entry.before, entry.after) == ({"active": True}, {"active": False})


def test_audit_row_rolls_back_with_its_change():
    """The row is written in the change's transaction: a rollback leaves neither."""
    sku = SKUFactory(on_hand=10)

    def change_then_fail():
        with transaction.atomic():
            services.sku_update(sku=sku, actor=None, stock=1)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        change_then_fail()
    sku.refresh_from_db()
    assert sku.on_hand == 10
    assert not AuditEntry.objects.exists()


def test_audit_record_makes_dates_json_safe():
    """Dates and model instances are stored as ISO strings and ids."""
    user = UserFactory()
    entry = audit_record(
        actor=user,
        action="test.thing",
        target=user,
        before={"when": datetime.date(2030, 1, 2)},
        after={"who": user},
    )
    entry.refresh_from_db()
    assert entry.before == {"when": "2030-01-02"}
    assert entry.after == {"who": user.pk}
    assert entry.target_type == "accounts.user"


def test_admin_is_read_only(client):
    """Operators can read the trail but not add, change or delete entries."""
    operator = UserFactory(is_staff=True, is_superuser=True)
    entry = audit_record(actor=operator, action="x", target=operator, before={}, after={})
    client.force_login(operator)
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
