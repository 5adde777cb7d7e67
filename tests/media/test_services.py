"""media_attach, media_set_public, media_payloads, the viewer rules and the purge job."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db.models import ProtectedError
from django.utils import timezone

from backend.errors import InvalidInput
from media import access
from media.models import Media
from media.selectors import media_payloads
from media.services import media_attach, media_purge_unattached, media_set_public, media_upload
from media.tasks import purge_unattached
from tests.factories import UserFactory
from tests.media import samples
from tests.media.conftest import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_media(user, django_capture_on_commit_callbacks):
    def make(owner=None, data=None) -> Media:
        with django_capture_on_commit_callbacks(execute=True):
            media = media_upload(owner=owner or user, upload=samples.upload(data or samples.jpeg()))
        media.refresh_from_db()
        return media

    return make


@pytest.fixture
def rules():
    """The registry restored after each test, so rules never leak between tests."""
    saved = list(access._rules)
    yield access
    access._rules[:] = saved


def test_attach_returns_the_owners_media_in_the_given_order(user, make_media):
    """Media come back in the caller's order, with attached_at set once."""
    first, second = make_media(), make_media()

    attached = media_attach(owner=user, media_ids=[second.pk, first.pk])

    assert [m.pk for m in attached] == [second.pk, first.pk]
    assert all(m.attached_at for m in attached)
    stamp = Media.objects.get(pk=first.pk).attached_at
    again = media_attach(owner=user, media_ids=[first.pk])
    assert again[0].attached_at == stamp


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("someone-elses", "Unknown media"),
        ("unknown", "Unknown media"),
        ("failed", "could not be processed"),
        ("repeated", "listed twice"),
    ],
)
def test_attach_refuses_what_the_owner_may_not_use(user, make_media, case, message):
    """Another user's, unknown, failed and repeated ids are refused with invalid_media."""
    mine = make_media()
    if case == "someone-elses":
        ids = [mine.pk, make_media(owner=UserFactory()).pk]
    elif case == "unknown":
        ids = [mine.pk, 987654]
    elif case == "failed":
        Media.objects.filter(pk=mine.pk).update(status=Media.Status.FAILED)
        ids = [mine.pk]
    else:
        ids = [mine.pk, mine.pk]

    with pytest.raises(InvalidInput) as error:
        media_attach(owner=user, media_ids=ids)

    assert error.value.code == "invalid_media"
    assert message in error.value.message
    assert Media.objects.filter(attached_at__isnull=False).count() == 0


def test_payloads_run_no_query_and_sign_only_private_media(
    make_media, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """media_payloads reads nothing from the database; public URLs are plain, others signed."""
    private, public = make_media(), make_media()
    with django_capture_on_commit_callbacks(execute=True):
        media_set_public(media_ids=[public.pk], public=True)
    rows = list(Media.objects.filter(pk__in=[private.pk, public.pk]))

    with django_assert_num_queries(0):
        payloads = media_payloads(rows)

    assert set(payloads[private.pk]) == {
        "id", "kind", "status", "width", "height", "duration", "placeholder", "variants",
    }  # fmt: skip
    assert all("sig=" in url for url in payloads[private.pk]["variants"].values())
    assert all("?" not in url for url in payloads[public.pk]["variants"].values())


def test_video_payload_has_seconds_and_poster_names(make_media):
    """A video's duration is in seconds (float) and its variants are the video and posters."""
    video = make_media(data=samples.video(1.5))

    payload = media_payloads([video])[video.pk]

    assert payload["duration"] == 1.5
    assert {"video", "poster"} <= set(payload["variants"])


def test_get_media_answers_the_uploader_and_404_to_others(
    make_media, client_of, django_assert_max_num_queries
):
    """GET media/{id}: the uploader sees it; someone else gets 404 while no rule admits them."""
    media = make_media()
    stranger = UserFactory()

    with django_assert_max_num_queries(2):
        own = client_of(media.owner).get(f"/api/v1/media/{media.pk}")
    assert own.status_code == 200
    assert own.json()["id"] == media.pk
    other = client_of(stranger).get(f"/api/v1/media/{media.pk}")
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "not_found"


def test_a_registered_rule_lets_a_viewer_see_the_media(make_media, client_of, rules):
    """A rule registered by another app (posts) admits the viewers it says yes to."""
    media = make_media()
    friend = UserFactory()
    rules.register_viewer_rule(lambda viewer, media_id: viewer == friend and media_id == media.pk)

    assert client_of(friend).get(f"/api/v1/media/{media.pk}").status_code == 200
    assert client_of(UserFactory()).get(f"/api/v1/media/{media.pk}").status_code == 404


def test_purge_deletes_old_unattached_uploads_and_keeps_the_rest(
    user, make_media, media_root, django_capture_on_commit_callbacks
):
    """Unattached uploads older than the TTL go (rows and files); attached and recent stay."""
    old, attached, recent = make_media(), make_media(), make_media()
    media_attach(owner=user, media_ids=[attached.pk])
    long_ago = timezone.now() - timedelta(hours=25)
    Media.objects.filter(pk__in=[old.pk, attached.pk]).update(created_at=long_ago)
    old_files = list(old.variants.values())

    with django_capture_on_commit_callbacks(execute=True):
        assert purge_unattached() == 1

    assert set(Media.objects.values_list("pk", flat=True)) == {attached.pk, recent.pk}
    assert not any(default_storage.exists(name) for name in old_files)
    kept = sorted([*attached.variants.values(), *recent.variants.values()])
    assert stored_files(media_root) == kept


def test_purge_honours_the_ttl_setting(make_media, settings):
    """MEDIA_UNATTACHED_TTL_HOURS decides what "old" means."""
    make_media()
    settings.MEDIA_UNATTACHED_TTL_HOURS = 2

    assert media_purge_unattached(now=timezone.now() + timedelta(hours=1)) == 0
    assert media_purge_unattached(now=timezone.now() + timedelta(hours=3)) == 1


def test_purge_keeps_and_marks_a_row_still_referenced(make_media, media_root):
    """A stale upload another app still references (PROTECT) is kept, marked attached, and
    the sweep goes on with the others."""
    referenced, stale = make_media(), make_media()
    Media.objects.update(created_at=timezone.now() - timedelta(days=2))
    original_delete = Media.delete

    def delete(self, *args, **kwargs):
        if self.pk == referenced.pk:
            raise ProtectedError("referenced by a post", {self})
        return original_delete(self, *args, **kwargs)

    with mock.patch.object(Media, "delete", delete):
        assert media_purge_unattached() == 1

    kept = Media.objects.get()
    assert kept.pk == referenced.pk
    assert kept.attached_at is not None
    assert not Media.objects.filter(pk=stale.pk).exists()
