"""The console's staff page: everyone on the staff sees it; only the owner adds and removes."""

import pytest
from django.urls import reverse

from backend.audit.models import AuditEntry
from commerce.models import MerchantStaff
from tests.factories import UserFactory
from tests.factories_commerce import MerchantFactory, MerchantStaffFactory

pytestmark = pytest.mark.django_db

STAFF_URL = reverse("commerce:console_staff")


def remove_url(user) -> str:
    return reverse("commerce:console_staff_remove", args=[user.pk])


@pytest.fixture
def shop():
    return MerchantFactory(name="Orchard Lane", owner__username="owner")


@pytest.fixture
def owner_client(client, shop):
    client.force_login(shop.owner)
    return client


def staff_of(shop) -> set[str]:
    return set(MerchantStaff.objects.filter(merchant=shop).values_list("user__username", flat=True))


def test_nav_has_a_staff_chip(owner_client):
    """Every console page links to the staff page."""
    html = owner_client.get(reverse("commerce:console_home")).content.decode()

    assert STAFF_URL in html


def test_owner_sees_the_staff_and_the_add_form(owner_client, shop, django_assert_max_num_queries):
    """The owner sees everyone on the staff, a remove button for staff, and the add form."""
    helpers = [MerchantStaffFactory(merchant=shop).user for _ in range(3)]

    with django_assert_max_num_queries(6):
        response = owner_client.get(STAFF_URL)

    html = response.content.decode()
    assert response.status_code == 200
    for user in helpers:
        assert f"@{user.username}" in html
        assert remove_url(user) in html
    assert remove_url(shop.owner) not in html
    assert 'name="username"' in html


def test_owner_adds_someone_by_username(owner_client, shop):
    """Adding by username (an "@" before it is fine) puts that person on the staff, audited."""
    UserFactory(username="mei")

    response = owner_client.post(STAFF_URL, {"username": "@mei"})

    assert response.status_code == 302
    assert staff_of(shop) == {"owner", "mei"}
    assert AuditEntry.objects.filter(action="merchant.staff_add").count() == 1


def test_adding_an_unknown_user_says_so(owner_client, shop):
    """An unknown username is an error on the field, and nobody is added."""
    response = owner_client.post(STAFF_URL, {"username": "nobody"})

    assert response.status_code == 200
    assert "Nobody here is called @nobody." in response.content.decode()
    assert staff_of(shop) == {"owner"}


def test_adding_someone_already_staff_of_a_shop_says_so(owner_client, shop):
    """A person who already works for a shop (any shop) cannot be added."""
    elsewhere = MerchantStaffFactory(user__username="busy").user

    response = owner_client.post(STAFF_URL, {"username": "busy"})

    assert response.status_code == 200
    assert "already works for a shop" in response.content.decode()
    assert staff_of(shop) == {"owner"}
    assert MerchantStaff.objects.get(user=elsewhere).merchant != shop


def test_owner_removes_a_staff_member(owner_client, shop):
    """Remove takes the person off the staff and says so."""
    helper = MerchantStaffFactory(merchant=shop, user__username="kai").user

    response = owner_client.post(remove_url(helper), follow=True)

    assert staff_of(shop) == {"owner"}
    assert "no longer works for Orchard Lane" in response.content.decode()


def test_owner_cannot_be_removed(owner_client, shop):
    """Removing the owner is refused with a message; the owner stays."""
    response = owner_client.post(remove_url(shop.owner), follow=True)

    assert "The owner cannot be removed" in response.content.decode()
    assert staff_of(shop) == {"owner"}


def test_removing_someone_of_another_shop_is_404(owner_client, shop):
    """Only this shop's staff can be removed; another shop's people are not found."""
    stranger = MerchantStaffFactory(user__username="other").user

    response = owner_client.post(remove_url(stranger))

    assert response.status_code == 404
    assert MerchantStaff.objects.filter(user=stranger).exists()


def test_staff_see_the_list_read_only(client, shop):
    """A staff member who is not the owner sees the staff but no add form or remove buttons."""
    me = MerchantStaffFactory(merchant=shop, user__username="kai").user
    other = MerchantStaffFactory(merchant=shop, user__username="lena").user
    client.force_login(me)

    html = client.get(STAFF_URL).content.decode()

    assert "@owner" in html
    assert "@lena" in html
    assert 'name="username"' not in html
    assert remove_url(other) not in html
    assert "Only the shop's owner adds or removes staff." in html


def test_staff_cannot_add_or_remove(client, shop):
    """A staff member's add or remove is 403 and changes nothing."""
    me = MerchantStaffFactory(merchant=shop, user__username="kai").user
    other = MerchantStaffFactory(merchant=shop, user__username="lena").user
    UserFactory(username="mei")
    client.force_login(me)

    assert client.post(STAFF_URL, {"username": "mei"}).status_code == 403
    assert client.post(remove_url(other)).status_code == 403
    assert staff_of(shop) == {"owner", "kai", "lena"}


def test_people_without_a_shop_are_sent_to_the_console_home(client):
    """Someone who works for no shop is sent to open one."""
    client.force_login(UserFactory())

    response = client.get(STAFF_URL)

    assert response.status_code == 302
    assert response.url == reverse("commerce:console_home")
