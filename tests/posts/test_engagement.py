"""Likes, saves, collections, comments and mentions, with their counts and events."""

import pytest

from backend.events.models import Event
from posts import services
from posts.errors import (
    CollectionExists,
    CollectionNotFound,
    InvalidComment,
    NotCommentAuthor,
    PostNotFound,
)
from posts.models import Collection, Comment, Mention, Post, Save
from tests.factories import BlockFactory, UserFactory

pytestmark = pytest.mark.django_db


def _events(name):
    return list(Event.objects.filter(name=name).order_by("pk").values_list("payload", flat=True))


def _counts(post):
    return Post.objects.values_list("like_count", "save_count", "comment_count").get(pk=post.pk)


def test_like_is_idempotent_counted_once_and_announced_once(cast, publish):
    """Liking twice leaves one like, like_count 1 and one post.liked event with its payload."""
    post = publish(cast.author)
    assert services.post_like(user=cast.stranger, post=post) is True
    assert services.post_like(user=cast.stranger, post=post) is False
    assert _counts(post)[0] == 1
    assert _events("post.liked") == [
        {"actor": cast.stranger.pk, "target": post.pk, "post_author": cast.author.pk}
    ]


def test_unlike_is_idempotent_and_never_goes_below_zero(cast, publish):
    """Unliking twice, or a like never given, leaves the count at zero."""
    post = publish(cast.author)
    services.post_like(user=cast.stranger, post=post)
    assert services.post_unlike(user=cast.stranger, post=post) is True
    assert services.post_unlike(user=cast.stranger, post=post) is False
    assert services.post_unlike(user=cast.follower, post=post) is False
    assert _counts(post)[0] == 0


def test_own_like_is_published_too(cast, publish):
    """The author liking their post is announced; the feed decides not to notify them."""
    post = publish(cast.author)
    services.post_like(user=cast.author, post=post)
    assert _events("post.liked")[0]["actor"] == cast.author.pk


@pytest.mark.parametrize("who", ["blocked", "blocker"])
def test_blocked_users_cannot_like_save_or_comment(cast, publish, who):
    """A block in either direction makes the post a 404 for like, save and comment."""
    post = publish(cast.author)
    user = cast.blocked
    if who == "blocker":
        user = UserFactory()
        BlockFactory(blocker=user, blocked=cast.author)
    for act in (
        lambda: services.post_like(user=user, post=post),
        lambda: services.post_save(user=user, post=post),
        lambda: services.comment_create(author=user, post=post, text="hi"),
    ):
        with pytest.raises(PostNotFound):
            act()
    assert _counts(post) == (0, 0, 0)


def test_nobody_engages_with_drafts_or_posts_they_cannot_see(cast, publish):
    """A draft, and a friends-only post for a stranger, cannot be liked."""
    draft = publish(cast.author, status="draft")
    friends_only = publish(cast.author, visibility="friends")
    with pytest.raises(PostNotFound):
        services.post_like(user=cast.friend, post=draft)
    with pytest.raises(PostNotFound):
        services.post_like(user=cast.stranger, post=friends_only)
    services.post_like(user=cast.friend, post=friends_only)


def test_save_into_a_named_collection_created_on_the_way(cast, publish):
    """Saving with a collection name creates the saver's collection; saving again is counted
    once and can move the save to another collection."""
    post = publish(cast.author)
    services.post_save(user=cast.stranger, post=post, collection="Summer fruit")
    services.post_save(user=cast.stranger, post=post, collection="To bake")
    services.post_save(user=cast.stranger, post=post)
    save = Save.objects.get(user=cast.stranger, post=post)
    assert save.collection.name == "To bake"
    names = Collection.objects.filter(owner=cast.stranger).values_list("name", flat=True)
    assert sorted(names) == ["Summer fruit", "To bake"]
    assert _counts(post)[1] == 1


def test_unsave_is_idempotent(cast, publish):
    """Unsaving removes the save once; the count never goes below zero."""
    post = publish(cast.author)
    services.post_save(user=cast.stranger, post=post)
    assert services.post_unsave(user=cast.stranger, post=post) is True
    assert services.post_unsave(user=cast.stranger, post=post) is False
    assert _counts(post)[1] == 0


def test_saving_into_someone_elses_collection_is_refused(cast, publish):
    """A Collection row must be the saver's own."""
    post = publish(cast.author)
    theirs = services.collection_create(owner=cast.follower, name="Mine")
    with pytest.raises(CollectionNotFound):
        services.post_save(user=cast.stranger, post=post, collection=theirs)


def test_collection_names_are_unique_per_owner(cast):
    """The same owner cannot have two collections of one name; another owner can."""
    services.collection_create(owner=cast.stranger, name="Fruit")
    services.collection_create(owner=cast.follower, name="Fruit")
    with pytest.raises(CollectionExists):
        services.collection_create(owner=cast.stranger, name=" Fruit ")


def test_comment_counts_and_is_announced(cast, publish):
    """A comment raises comment_count and publishes post.commented with its payload."""
    post = publish(cast.author)
    comment = services.comment_create(author=cast.stranger, post=post, text="  Looks sweet!  ")
    assert comment.text == "Looks sweet!"
    assert _counts(post)[2] == 1
    assert _events("post.commented") == [
        {
            "actor": cast.stranger.pk,
            "target": post.pk,
            "post_author": cast.author.pk,
            "comment": comment.pk,
        }
    ]


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001])
def test_empty_or_long_comments_are_refused(cast, publish, text):
    """Comments hold 1 to 1,000 characters."""
    post = publish(cast.author)
    with pytest.raises(InvalidComment):
        services.comment_create(author=cast.stranger, post=post, text=text)
    assert not Comment.objects.exists()


def test_comment_is_deleted_by_its_author_or_the_posts_author_only(cast, publish):
    """The commenter and the post's author may delete a comment (softly, counted down once);
    anyone else gets NotCommentAuthor."""
    post = publish(cast.author)
    first = services.comment_create(author=cast.stranger, post=post, text="one")
    second = services.comment_create(author=cast.stranger, post=post, text="two")
    with pytest.raises(NotCommentAuthor):
        services.comment_delete(comment=first, actor=cast.follower)
    services.comment_delete(comment=first, actor=cast.stranger)
    services.comment_delete(comment=first, actor=cast.stranger)
    services.comment_delete(comment=second, actor=cast.author)
    first.refresh_from_db()
    assert first.deleted_at is not None
    assert first.deleted_by == cast.stranger
    assert _counts(post)[2] == 0


def test_mentions_in_a_post_notify_each_visible_user_once(cast, publish):
    """@mentions of present users who may see the post get one user.mentioned each; unknown
    names, the author, blocked users and those the visibility excludes get none; an edit that
    keeps a mention does not announce it again."""
    gone = UserFactory(username="gone", is_active=False)
    text = "with @Friend @friend @stranger @nobody @author @blocked @gone"
    post = publish(cast.author, text=text, visibility="friends")
    assert _events("user.mentioned") == [
        {"actor": cast.author.pk, "target": cast.friend.pk, "post": post.pk, "comment": None}
    ]
    services.post_update(post=post, actor=cast.author, text=text + " and @close")
    assert len(_events("user.mentioned")) == 1
    assert set(Mention.objects.values_list("user_id", flat=True)) == {cast.friend.pk}
    assert gone.pk not in set(Mention.objects.values_list("user_id", flat=True))


def test_mentions_in_a_draft_wait_for_publication(cast, publish):
    """A draft announces no mention; publishing it does."""
    post = publish(cast.author, text="for @stranger", status="draft")
    assert _events("user.mentioned") == []
    services.post_update(post=post, actor=cast.author, status="published")
    assert [event["target"] for event in _events("user.mentioned")] == [cast.stranger.pk]


def test_mentions_in_a_comment_name_the_comment(cast, publish):
    """A comment's mention is announced with the comment's id."""
    post = publish(cast.author)
    comment = services.comment_create(author=cast.stranger, post=post, text="@follower look!")
    assert _events("user.mentioned") == [
        {
            "actor": cast.stranger.pk,
            "target": cast.follower.pk,
            "post": post.pk,
            "comment": comment.pk,
        }
    ]
