"""Opening a shop, its staff, its settings, suspension, and the two cross-part selectors."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backend.audit.models import AuditEntry
from backend.errors import NotFound
from commerce.catalog.selectors import shop_for_user, sku_for_sale
from commerce.catalog.services import merchant_set_status
from commerce.errors import NotForSale
from commerce.models import Merchant, MerchantStaff
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory, MerchantStaffFactory, SKUFactory

pytestmark = pytest.mark.django_db


def _png(size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (250, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_open_a_shop_makes_the_caller_its_owner(api_client):
    """POST merchants → 201 {id, name, slug}; the caller is the owner on the staff."""
    user = UserFactory()
    api_client.force_authenticate(user)
    response = api_client.post("/api/v1/merchants", {"name": "Orchard Lane", "description": "Hi"})
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"id", "name", "slug"}
    assert data["slug"] == "orchard-lane"
    membership = MerchantStaff.objects.get(user=user)
    assert membership.merchant_id == data["id"]
    assert membership.role == MerchantStaff.Role.OWNER


def test_same_shop_name_gets_a_distinct_slug(api_client):
    """Two shops with one name get two slugs."""
    MerchantFactory(name="Bakery", slug="bakery")
    api_client.force_authenticate(UserFactory())
    assert api_client.post("/api/v1/merchants", {"name": "Bakery"}).json()["slug"] == "bakery-2"


def test_staff_of_a_shop_cannot_open_another(api_client):
    """A user already staff of a shop gets 409 already_merchant_staff and no new shop."""
    member = MerchantStaffFactory().user
    api_client.force_authenticate(member)
    response = api_client.post("/api/v1/merchants", {"name": "Second"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_merchant_staff"
    assert Merchant.objects.count() == 1


def test_open_a_shop_needs_sign_in_and_a_name(api_client):
    """Anonymous → 401; a missing name → 400 naming the field."""
    assert api_client.post("/api/v1/merchants", {"name": "X"}).status_code == 401
    api_client.force_authenticate(UserFactory())
    response = api_client.post("/api/v1/merchants", {})
    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/merchant/shop"),
        ("patch", "/api/v1/merchant/shop"),
        ("get", "/api/v1/merchant/staff"),
        ("get", "/api/v1/merchant/products"),
        ("post", "/api/v1/merchant/products"),
        ("patch", "/api/v1/merchant/skus/1"),
    ],
)
def test_merchant_routes_refuse_non_staff(api_client, method, path):
    """A signed-in user with no shop gets 403 not_merchant_staff on merchant/... routes."""
    api_client.force_authenticate(UserFactory())
    response = getattr(api_client, method)(path, {}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_merchant_staff"


def test_owner_adds_and_removes_staff(api_client):
    """The owner adds a user by username, lists the staff, then removes them."""
    shop = MerchantFactory()
    newcomer = UserFactory(username="baker")
    api_client.force_authenticate(shop.owner)
    assert api_client.post("/api/v1/merchant/staff", {"username": "baker"}).status_code == 201
    listed = api_client.get("/api/v1/merchant/staff").json()["results"]
    assert {row["username"] for row in listed} == {shop.owner.username, "baker"}
    assert api_client.delete("/api/v1/merchant/staff", {"username": "baker"}).status_code == 204
    assert not MerchantStaff.objects.filter(user=newcomer).exists()
    assert AuditEntry.objects.filter(action="merchant.staff_add").count() == 1
    assert AuditEntry.objects.filter(action="merchant.staff_remove").count() == 1


def test_staff_cannot_manage_staff(api_client):
    """Only the owner adds staff: a staff member gets 403 not_merchant_owner."""
    member = MerchantStaffFactory()
    UserFactory(username="friend")
    api_client.force_authenticate(member.user)
    response = api_client.post("/api/v1/merchant/staff", {"username": "friend"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_merchant_owner"


def test_adding_someone_elses_staff_is_refused(api_client):
    """A user already working for a shop cannot be added to another: 409."""
    shop = MerchantFactory()
    other = MerchantStaffFactory()
    api_client.force_authenticate(shop.owner)
    response = api_client.post("/api/v1/merchant/staff", {"username": other.user.username})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_merchant_staff"


def test_owner_cannot_remove_themselves(api_client):
    """Removing the owner is refused with 409 cannot_remove_owner."""
    shop = MerchantFactory()
    api_client.force_authenticate(shop.owner)
    response = api_client.delete("/api/v1/merchant/staff", {"username": shop.owner.username})
    assert response.status_code == 409
    assert MerchantStaff.objects.filter(user=shop.owner).exists()


def test_shop_settings_by_api(api_client):
    """PATCH merchant/shop changes name, fees and the logo; status cannot be sent."""
    shop = MerchantFactory()
    api_client.force_authenticate(shop.owner)
    response = api_client.patch(
        "/api/v1/merchant/shop",
        {
            "name": "Renamed",
            "shipping_fee": "8.00",
            "free_shipping_threshold": "99.00",
            "status": "active",
            "logo": _png((800, 600)),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["name"], data["shipping_fee"], data["free_shipping_threshold"]) == (
        "Renamed",
        "8.00",
        "99.00",
    )
    shop.refresh_from_db()
    assert shop.shipping_fee == 800
    assert shop.logo.name.endswith(".webp")
    assert max(Image.open(shop.logo).size) <= 512
    entry = AuditEntry.objects.get(action="merchant.update")
    assert entry.before["shipping_fee"] == 0
    assert entry.after["shipping_fee"] == 800


def test_logo_that_is_not_an_image_is_refused(api_client):
    """A logo that Pillow cannot decode → 400 invalid_image, nothing changed."""
    shop = MerchantFactory()
    api_client.force_authenticate(shop.owner)
    fake = SimpleUploadedFile("logo.png", b"<?php evil ?>", content_type="image/png")
    response = api_client.patch("/api/v1/merchant/shop", {"logo": fake}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_image"
    shop.refresh_from_db()
    assert not shop.logo


def test_bad_amount_in_settings_is_a_400(api_client):
    """A shipping fee like "1e3" is refused with the field named."""
    shop = MerchantFactory()
    api_client.force_authenticate(shop.owner)
    response = api_client.patch("/api/v1/merchant/shop", {"shipping_fee": "1e3"}, format="json")
    assert response.status_code == 400
    assert "shipping_fee" in response.json()["error"]["fields"]


def test_shop_for_user():
    """shop_for_user: the staff member's shop, None for anyone else."""
    member = MerchantStaffFactory()
    assert shop_for_user(member.user) == member.merchant
    assert shop_for_user(UserFactory()) is None


def test_sku_for_sale_returns_the_sku_with_product_and_shop(django_assert_num_queries):
    """A buyable SKU comes back with its product and shop in one query."""
    sku = SKUFactory()
    with django_assert_num_queries(1):
        found = sku_for_sale(sku.pk)
        assert found.product.merchant.pk == sku.product.merchant_id


@pytest.mark.parametrize("case", ["sku", "product", "shop"])
def test_sku_for_sale_refuses_what_cannot_be_bought(case):
    """Inactive SKU, inactive product or suspended shop → NotForSale (409 not_for_sale)."""
    sku = SKUFactory()
    if case == "sku":
        sku.active = False
        sku.save()
    elif case == "product":
        sku.product.active = False
        sku.product.save()
    else:
        merchant_set_status(merchant=sku.product.merchant, actor=None, status="suspended")
    with pytest.raises(NotForSale) as raised:
        sku_for_sale(sku.pk)
    assert (raised.value.status, raised.value.code) == (409, "not_for_sale")


def test_sku_for_sale_unknown_is_not_found():
    """An unknown SKU id → NotFound (404)."""
    with pytest.raises(NotFound):
        sku_for_sale(987654)


def test_suspend_and_reactivate_are_audited():
    """Suspending then reactivating a shop leaves two audit rows with before/after status."""
    shop = MerchantFactory()
    operator = UserFactory(is_staff=True)
    merchant_set_status(merchant=shop, actor=operator, status=Merchant.Status.SUSPENDED)
    merchant_set_status(merchant=shop, actor=operator, status=Merchant.Status.ACTIVE)
    actions = list(
        AuditEntry.objects.order_by("id").values_list("action", "before", "after", "actor")
    )
    assert actions == [
        ("merchant.suspend", {"status": "active"}, {"status": "suspended"}, operator.pk),
        ("merchant.reactivate", {"status": "suspended"}, {"status": "active"}, operator.pk),
    ]


def test_admin_suspend_action(client):
    """The admin's suspend action suspends the chosen shops, with an audit row."""
    shop = MerchantFactory()
    operator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)
    response = client.post(
        "/admin/commerce/merchant/",
        {"action": "suspend", "_selected_action": [shop.pk]},
    )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.status == Merchant.Status.SUSPENDED
    assert AuditEntry.objects.filter(action="merchant.suspend", actor=operator).exists()
