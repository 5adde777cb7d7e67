"""Writing, editing and deleting posts (posts.services.authoring)."""

import pytest

from backend.errors import ApplicationError
from media.models import Media
from posts import selectors, services
from posts.errors import AlreadyPublished, InvalidPost, NotAuthor, PostNotFound
from posts.models import MAX_IMAGES, Post, PostHashtag, PostMedia
from tests.factories import UserFactory
from tests.factories_posts import MediaFactory

pytestmark = pytest.mark.django_db


def _media(owner, count=1, **kwargs):
    return [MediaFactory(owner=owner, **kwargs) for _ in range(count)]


def _create(author, **fields):
    values = {"text": "Peaches!", "media_ids": [], "visibility": "public", "status": "published"}
    values.update(fields)
    return services.post_create(author=author, **values)


def test_create_keeps_media_order_alt_texts_and_publication_time():
    """Pictures keep the order given, each with its alt text (missing ones are ""), and a
    published post gets published_at."""
    author = UserFactory()
    first, second, third = _media(author, 3)
    post = _create(
        author,
        media_ids=[third.pk, first.pk, second.pk],
        alt_texts=["A basket", "", "Cut in half"],
    )
    rows = list(PostMedia.objects.filter(post=post).order_by("position"))
    assert [row.media_id for row in rows] == [third.pk, first.pk, second.pk]
    assert [row.alt_text for row in rows] == ["A basket", "", "Cut in half"]
    assert post.published_at is not None


def test_published_public_post_makes_its_media_public_and_draft_does_not():
    """Media are public exactly while their post is published and public."""
    author = UserFactory()
    public_media, draft_media, friends_media = _media(author, 3)
    _create(author, media_ids=[public_media.pk])
    _create(author, media_ids=[draft_media.pk], status="draft")
    _create(author, media_ids=[friends_media.pk], visibility="friends")
    public = dict(Media.objects.values_list("pk", "public"))
    assert public == {public_media.pk: True, draft_media.pk: False, friends_media.pk: False}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "x" * 2001}, "text"),
        ({"text": "", "media_ids": []}, "text"),
        ({"location": "y" * 121}, "location"),
        ({"visibility": "everyone"}, "visibility"),
        ({"status": "scheduled"}, "status"),
        ({"alt_texts": ["one", "two"]}, "alt_texts"),
    ],
)
def test_invalid_posts_are_refused_with_the_field_named(fields, field):
    """Too long text or location, nothing to show, unknown visibility or status, more alt texts
    than pictures: InvalidPost naming the field, and nothing is stored."""
    author = UserFactory()
    fields = {"media_ids": [_media(author)[0].pk], **fields}
    with pytest.raises(InvalidPost) as refused:
        _create(author, **fields)
    assert field in refused.value.fields
    assert not Post.objects.exists()


def test_text_of_2000_characters_and_alt_text_of_300_are_accepted():
    """The limits are inclusive."""
    author = UserFactory()
    post = _create(author, text="x" * 2000, media_ids=[_media(author)[0].pk], alt_texts=["a" * 300])
    assert len(post.text) == 2000


def test_eighteen_images_pass_and_nineteen_do_not():
    """1–18 pictures per post."""
    author = UserFactory()
    _create(author, media_ids=[item.pk for item in _media(author, MAX_IMAGES)])
    with pytest.raises(InvalidPost):
        _create(author, media_ids=[item.pk for item in _media(author, MAX_IMAGES + 1)])


def test_video_and_images_do_not_mix_and_one_video_is_fine():
    """A post holds pictures or exactly one video."""
    author = UserFactory()
    video = MediaFactory(owner=author, kind=Media.Kind.VIDEO, content_type="video/mp4")
    picture = _media(author)[0]
    _create(author, media_ids=[video.pk])
    with pytest.raises(InvalidPost):
        _create(author, media_ids=[video.pk, picture.pk])


def test_someone_elses_media_is_refused():
    """Media must be the author's own uploads (the media app's invalid_media)."""
    author = UserFactory()
    theirs = _media(UserFactory())[0]
    with pytest.raises(ApplicationError) as refused:
        _create(author, media_ids=[theirs.pk])
    assert refused.value.code == "invalid_media"


def test_the_same_picture_twice_is_refused():
    """Each picture appears once in a post."""
    author = UserFactory()
    picture = _media(author)[0]
    with pytest.raises(InvalidPost):
        _create(author, media_ids=[picture.pk, picture.pk])


def _hashtags(post):
    rows = PostHashtag.objects.filter(post=post).order_by("position")
    return list(rows.values_list("hashtag__name", flat=True))


def test_hashtags_are_stored_in_order_and_replaced_on_edit():
    """The post's hashtags follow its text, also after an edit."""
    author = UserFactory()
    post = _create(author, text="#芒果 and #Mango-Season")
    assert _hashtags(post) == ["芒果", "mango-season"]
    services.post_update(post=post, actor=author, text="now #peach only")
    assert _hashtags(post) == ["peach"]


def test_draft_is_published_later_by_an_edit():
    """A draft has no published_at; publishing it sets published_at and makes media public."""
    author = UserFactory()
    picture = _media(author)[0]
    post = _create(author, media_ids=[picture.pk], status="draft")
    assert post.published_at is None
    post = services.post_update(post=post, actor=author, status="published")
    assert post.published_at is not None
    picture.refresh_from_db()
    assert picture.public


def test_published_post_cannot_become_a_draft():
    """published → draft is refused (409)."""
    author = UserFactory()
    post = _create(author)
    with pytest.raises(AlreadyPublished):
        services.post_update(post=post, actor=author, status="draft")


def test_edit_reorders_media_and_marks_edited():
    """Editing a published post's media order keeps the pictures and sets edited_at."""
    author = UserFactory()
    first, second = _media(author, 2)
    post = _create(author, media_ids=[first.pk, second.pk])
    post = services.post_update(
        post=post, actor=author, media_ids=[second.pk, first.pk], alt_texts=["b", "a"]
    )
    rows = PostMedia.objects.filter(post=post).order_by("position")
    assert [(row.media_id, row.alt_text) for row in rows] == [(second.pk, "b"), (first.pk, "a")]
    assert post.edited_at is not None


def test_narrowing_visibility_makes_media_private_again():
    """A public post turned friends-only takes its media's plain URLs away."""
    author = UserFactory()
    picture = _media(author)[0]
    post = _create(author, media_ids=[picture.pk])
    services.post_update(post=post, actor=author, visibility="friends")
    picture.refresh_from_db()
    assert not picture.public


def test_only_the_author_edits_or_deletes(cast, publish):
    """Someone who can see the post gets NotAuthor (403); someone who cannot, PostNotFound."""
    post = publish(cast.author)
    with pytest.raises(NotAuthor):
        services.post_update(post=post, actor=cast.stranger, text="mine now")
    with pytest.raises(NotAuthor):
        services.post_delete(post=post, actor=cast.stranger)
    with pytest.raises(PostNotFound):
        services.post_update(post=post, actor=cast.blocked, text="mine now")


def test_delete_is_soft_and_hides_the_post_from_everyone_and_its_media():
    """A deleted post stays in the table but nobody, its author included, can see it; its
    media stop being public."""
    author = UserFactory()
    picture = _media(author)[0]
    post = _create(author, media_ids=[picture.pk])
    services.post_delete(post=post, actor=author)
    assert Post.objects.get(pk=post.pk).deleted_at is not None
    with pytest.raises(PostNotFound):
        selectors.post_for_viewer(viewer=author, post_id=post.pk)
    picture.refresh_from_db()
    assert not picture.public
