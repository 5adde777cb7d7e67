"""The sign-in lockout: repeated failures for a username or from an IP lock sign-in for a while."""

import time

import pytest
from django.contrib.auth.hashers import make_password

from backend.accounts import services
from backend.accounts.errors import InvalidCredentials, SignInLocked
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _three_strikes(settings):
    settings.SIGNIN_LOCKOUT_FAILURES = 3
    settings.SIGNIN_LOCKOUT_WINDOW_SECONDS = 60


def fail(username: str, ip: str | None = "10.0.0.1", times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            services.user_authenticate(username=username, password="wrong", ip=ip)


def test_failures_for_a_username_lock_it_even_for_the_right_password():
    """After the limit, the right password is not even checked: sign-in is locked."""
    UserFactory(username="lin")
    fail("lin", times=3)

    with pytest.raises(SignInLocked) as caught:
        services.user_authenticate(username="lin", password=DEFAULT_PASSWORD, ip="10.9.9.9")

    assert caught.value.code == "signin_locked"
    assert 0 < caught.value.retry_after <= 60


def test_the_username_lock_ignores_letter_case():
    """'LIN' and 'lin' count as one username."""
    UserFactory(username="lin")
    fail("LIN", times=2)
    fail("lin", ip="10.0.0.2")

    with pytest.raises(SignInLocked):
        services.user_authenticate(username="Lin", password=DEFAULT_PASSWORD, ip="10.9.9.9")


def test_failures_from_one_ip_lock_that_ip_for_every_username():
    """Guessing across many usernames from one address locks the address."""
    UserFactory(username="lin")
    for name in ("a1", "b2", "c3"):
        fail(name, ip="10.0.0.7")

    with pytest.raises(SignInLocked):
        services.user_authenticate(username="lin", password=DEFAULT_PASSWORD, ip="10.0.0.7")


def test_other_users_and_ips_are_not_locked():
    """A locked username does not lock other usernames from other addresses."""
    UserFactory(username="lin")
    other = UserFactory(username="mei")
    fail("lin", times=3)

    user = services.user_authenticate(username="mei", password=DEFAULT_PASSWORD, ip="10.0.0.2")

    assert user == other


def test_a_success_forgives_the_usernames_earlier_failures():
    """Failures below the limit are forgotten after a successful sign-in."""
    user = UserFactory(username="lin")
    fail("lin", times=2, ip=None)
    services.user_authenticate(username="lin", password=DEFAULT_PASSWORD, ip=None)
    fail("lin", times=2, ip=None)

    assert services.user_authenticate(username="lin", password=DEFAULT_PASSWORD, ip=None) == user


def test_the_lock_lifts_when_the_window_closes(settings):
    """Once the window has passed, sign-in works again."""
    # A fast hasher, so that the failures fit well inside a one-second window.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SIGNIN_LOCKOUT_WINDOW_SECONDS = 1
    user = UserFactory(username="lin", password=make_password(DEFAULT_PASSWORD))
    fail("lin", times=3)
    with pytest.raises(SignInLocked):
        services.user_authenticate(username="lin", password=DEFAULT_PASSWORD, ip=None)

    time.sleep(1.2)

    assert services.user_authenticate(username="lin", password=DEFAULT_PASSWORD, ip=None) == user


def test_the_lockout_holds_with_api_throttles_off(settings):
    """API_THROTTLE=off turns request throttles off, never the lockout."""
    settings.API_THROTTLE = False
    UserFactory(username="lin")
    fail("lin", times=3)

    with pytest.raises(SignInLocked):
        services.user_authenticate(username="lin", password=DEFAULT_PASSWORD, ip=None)


def test_a_nul_byte_is_just_wrong_credentials():
    """Credentials holding a NUL byte fail like any wrong ones (PostgreSQL would refuse them)."""
    UserFactory(username="lin")

    with pytest.raises(InvalidCredentials):
        services.user_authenticate(username="lin\x00", password=DEFAULT_PASSWORD, ip=None)
