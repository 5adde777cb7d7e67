"""Account services: sign-up, sign-in, profile edits and account deletion."""

import pytest
from django.contrib.auth import authenticate
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.authtoken.models import Token

from backend.accounts import services
from backend.accounts.errors import (
    EmailTaken,
    InvalidCredentials,
    InvalidImage,
    UsernameTaken,
    WeakPassword,
)
from backend.accounts.models import Block, CloseFriend, Follow, Mute, User
from backend.errors import InvalidInput
from tests.backend.accounts.conftest import picture
from tests.factories import (
    DEFAULT_PASSWORD,
    BlockFactory,
    CloseFriendFactory,
    FollowFactory,
    MuteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STRONG = "orchard-Lychee-77"


def register(**overrides) -> User:
    fields = {"username": "mango_fan", "email": "mango@example.com", "password": STRONG}
    return services.user_register(**{**fields, **overrides})


# --- Sign-up -----------------------------------------------------------------------------------


def test_register_creates_a_user_who_can_sign_in_with_a_token():
    """Sign-up stores the user with a hashed password and gives them an API token."""
    user = register()

    assert user.check_password(STRONG)
    assert user.password.startswith("argon2")
    assert Token.objects.filter(user=user).exists()


def test_register_publishes_signed_in_with_the_visitor(
    delivered, django_capture_on_commit_callbacks
):
    """Signing up is signing in: `user.signed_in` carries the user and the visitor id."""
    with django_capture_on_commit_callbacks(execute=True):
        user = register(visitor_id="v-123abc")

    assert delivered == [("user.signed_in", {"user": user.pk, "visitor": "v-123abc"})]


def test_register_ignores_a_malformed_visitor_id(delivered, django_capture_on_commit_callbacks):
    """A visitor cookie that is not an id is passed on as null."""
    with django_capture_on_commit_callbacks(execute=True):
        user = register(visitor_id="<script>alert(1)</script>")

    assert delivered == [("user.signed_in", {"user": user.pk, "visitor": None})]


def test_register_refuses_a_username_taken_in_any_case():
    """Usernames are unique whatever their letter case."""
    UserFactory(username="Mango_Fan")

    with pytest.raises(UsernameTaken) as caught:
        register(username="mango_fan")

    assert caught.value.fields == {"username": [UsernameTaken.message]}
    assert User.objects.count() == 1


@pytest.mark.parametrize("name", ["admin", "Settings", "deleted-42"])
def test_register_refuses_reserved_usernames(name):
    """Names that look like pages or deleted accounts cannot be taken."""
    with pytest.raises(UsernameTaken):
        register(username=name)


@pytest.mark.parametrize("name", ["ab", "x" * 31, "has space", "_leading", "emoji🍑", "a/b"])
def test_register_refuses_malformed_usernames(name):
    """Usernames are 3-30 ASCII letters, digits, '.', '_' or '-', starting with a letter/digit."""
    with pytest.raises(InvalidInput) as caught:
        register(username=name)

    assert caught.value.code == "invalid_username"


@pytest.mark.parametrize("password", ["short1", "12345678901", "password123", "mango_fan1"])
def test_register_refuses_weak_passwords(password):
    """Short, numeric, common or username-like passwords are refused with the reasons."""
    with pytest.raises(WeakPassword) as caught:
        register(password=password)

    assert caught.value.code == "weak_password"
    assert caught.value.fields["password"]
    assert not User.objects.exists()


def test_register_refuses_an_email_already_used():
    """One account per email address, whatever its case."""
    UserFactory(email="Mango@Example.com")

    with pytest.raises(EmailTaken):
        register()


def test_register_refuses_an_invalid_email():
    """The email must look like one."""
    with pytest.raises(InvalidInput) as caught:
        register(email="not-an-email")

    assert caught.value.code == "invalid_email"


# --- Sign-in -----------------------------------------------------------------------------------


def test_authenticate_answers_the_user_and_publishes_signed_in(
    delivered, django_capture_on_commit_callbacks
):
    """Right credentials give the user, record the sign-in and publish `user.signed_in`."""
    user = UserFactory(username="lin")

    with django_capture_on_commit_callbacks(execute=True):
        signed_in = services.user_authenticate(
            username="lin", password=DEFAULT_PASSWORD, ip="10.0.0.1", visitor_id="abc"
        )

    assert signed_in == user
    user.refresh_from_db()
    assert user.last_login is not None
    assert delivered == [("user.signed_in", {"user": user.pk, "visitor": "abc"})]


def test_authenticate_ignores_the_letter_case_of_the_username():
    """'Lin' signs in as lin."""
    user = UserFactory(username="lin")

    assert services.user_authenticate(username="LIN", password=DEFAULT_PASSWORD, ip=None) == user


def test_authenticate_refuses_a_wrong_password_and_publishes_nothing(
    delivered, django_capture_on_commit_callbacks
):
    """Wrong credentials raise invalid_credentials and announce nothing."""
    UserFactory(username="lin")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidCredentials):
        services.user_authenticate(username="lin", password="nope", ip=None)

    assert delivered == []


def test_authenticate_refuses_a_deactivated_user():
    """A deactivated account cannot sign in even with its password."""
    UserFactory(username="lin", is_active=False)

    with pytest.raises(InvalidCredentials):
        services.user_authenticate(username="lin", password=DEFAULT_PASSWORD, ip=None)


# --- Profile -----------------------------------------------------------------------------------


def test_profile_update_changes_only_what_is_given():
    """Fields not passed keep their value; given ones are trimmed."""
    user = UserFactory(display_name="Old", bio="Old bio")

    services.profile_update(user=user, bio="  Mangoes!  ")

    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Old", "Mangoes!")


def test_profile_update_refuses_a_too_long_bio_and_changes_nothing():
    """A bio over 300 characters is refused with the field named."""
    user = UserFactory(bio="kept")

    with pytest.raises(InvalidInput) as caught:
        services.profile_update(user=user, bio="x" * 301)

    assert "bio" in caught.value.fields
    user.refresh_from_db()
    assert user.bio == "kept"


def test_avatar_is_reencoded_square_without_metadata():
    """An uploaded photo is stored as a 512px square WebP with its EXIF (GPS!) dropped."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera maker, standing in for any metadata
    upload = SimpleUploadedFile("me.jpg", picture("JPEG", (800, 600), exif.tobytes()).read())
    user = UserFactory()

    services.profile_update(user=user, avatar=upload)

    user.refresh_from_db()
    with Image.open(user.avatar.open("rb")) as stored:
        assert (stored.format, stored.size) == ("WEBP", (512, 512))
        assert not stored.getexif()


def test_avatar_that_does_not_decode_is_refused():
    """A file that is not a picture (whatever its name says) is refused."""
    user = UserFactory()
    fake = SimpleUploadedFile("me.png", b"\x89PNG\r\n\x1a\n not really a png")

    with pytest.raises(InvalidImage):
        services.profile_update(user=user, avatar=fake)

    user.refresh_from_db()
    assert not user.avatar


def test_avatar_in_an_unaccepted_format_is_refused():
    """GIF and other formats are refused even when they decode."""
    upload = SimpleUploadedFile("me.gif", picture("GIF").read())

    with pytest.raises(InvalidImage):
        services.profile_update(user=UserFactory(), avatar=upload)


def test_avatar_too_large_is_refused(monkeypatch):
    """Files over the size cap are refused before being decoded."""
    monkeypatch.setattr("backend.accounts.avatars.MAX_BYTES", 100)
    upload = SimpleUploadedFile("me.png", picture("PNG", (200, 200)).read())

    with pytest.raises(InvalidImage, match="at most"):
        services.profile_update(user=UserFactory(), avatar=upload)


def test_avatar_with_too_many_pixels_is_refused(monkeypatch):
    """Pictures over the pixel cap are refused from their header, before decoding."""
    monkeypatch.setattr("backend.accounts.avatars.MAX_PIXELS", 100)
    upload = SimpleUploadedFile("me.png", picture("PNG", (20, 20)).read())

    with pytest.raises(InvalidImage, match="too many pixels"):
        services.profile_update(user=UserFactory(), avatar=upload)


def test_avatar_can_be_removed():
    """remove_avatar clears the picture."""
    user = UserFactory()
    services.profile_update(user=user, avatar=SimpleUploadedFile("a.png", picture().read()))

    services.profile_update(user=user, remove_avatar=True)

    user.refresh_from_db()
    assert not user.avatar


# --- Deletion ----------------------------------------------------------------------------------


def test_user_delete_anonymises_the_person():
    """Deleting keeps the row but erases everything personal and the ability to sign in."""
    user = UserFactory(username="lin", email="lin@example.com", bio="Fruit", display_name="Lin")
    services.profile_update(user=user, avatar=SimpleUploadedFile("a.png", picture().read()))
    services.user_token(user=user)

    services.user_delete(user=user)

    user.refresh_from_db()
    assert user.username == f"deleted-{user.pk}"
    assert (user.email, user.display_name, user.bio, user.avatar.name) == ("", "", "", "")
    assert not user.has_usable_password()
    assert not user.is_active
    assert user.anonymised_at is not None
    assert not Token.objects.filter(user=user).exists()
    assert authenticate(username="lin", password=DEFAULT_PASSWORD) is None


def test_user_delete_removes_every_graph_edge_both_ways():
    """Follows, blocks, mutes and close-friend entries on either side are gone."""
    user, other = UserFactory(), UserFactory()
    FollowFactory(follower=user, followee=other)
    FollowFactory(follower=other, followee=user)
    BlockFactory(blocker=other, blocked=user)
    MuteFactory(muter=user, muted=other)
    CloseFriendFactory(owner=other, friend=user)

    services.user_delete(user=user)

    for model in (Follow, Block, Mute, CloseFriend):
        assert not model.objects.exists()


def test_user_delete_publishes_user_deleted(delivered, django_capture_on_commit_callbacks):
    """Other apps learn of the deletion through `user.deleted`."""
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.user_delete(user=user)

    assert delivered == [("user.deleted", {"user": user.pk})]


def test_user_delete_twice_changes_nothing_more(delivered, django_capture_on_commit_callbacks):
    """Deleting an account already deleted is a no-op."""
    user = UserFactory()
    services.user_delete(user=user)
    first = User.objects.get(pk=user.pk).anonymised_at

    with django_capture_on_commit_callbacks(execute=True):
        services.user_delete(user=user)

    assert User.objects.get(pk=user.pk).anonymised_at == first
    assert delivered == []


def test_a_deleted_username_frees_the_name():
    """After deletion the old username can be registered by someone new."""
    services.user_delete(user=UserFactory(username="lin"))

    assert register(username="lin").username == "lin"
