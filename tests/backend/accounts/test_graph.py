"""Social-graph services: follow, block, mute and close friends."""

import pytest

from backend.accounts import services
from backend.accounts.errors import SelfTarget, UserNotFound
from backend.accounts.models import Block, CloseFriend, Follow, Mute
from tests.factories import BlockFactory, CloseFriendFactory, FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return UserFactory(username="ann"), UserFactory(username="bo")


def test_follow_creates_one_follow_however_often_asked(pair):
    """Following twice leaves one follow; only the first call reports a creation."""
    ann, bo = pair

    assert services.user_follow(follower=ann, followee=bo) is True
    assert services.user_follow(follower=ann, followee=bo) is False

    assert Follow.objects.filter(follower=ann, followee=bo).count() == 1


def test_follow_publishes_user_followed_once(pair, delivered, django_capture_on_commit_callbacks):
    """A new follow announces `user.followed`; a repeated one does not."""
    ann, bo = pair

    with django_capture_on_commit_callbacks(execute=True):
        services.user_follow(follower=ann, followee=bo)
        services.user_follow(follower=ann, followee=bo)

    assert delivered == [("user.followed", {"actor": ann.pk, "target": bo.pk})]


def test_nobody_follows_themselves(pair):
    """Following oneself is refused."""
    ann, _ = pair

    with pytest.raises(SelfTarget):
        services.user_follow(follower=ann, followee=ann)


@pytest.mark.parametrize("direction", ["ann blocks bo", "bo blocks ann"])
def test_follow_across_a_block_is_not_found(pair, direction):
    """A block either way hides the two: following is answered as if the user did not exist."""
    ann, bo = pair
    blocker, blocked = (ann, bo) if direction == "ann blocks bo" else (bo, ann)
    BlockFactory(blocker=blocker, blocked=blocked)

    with pytest.raises(UserNotFound):
        services.user_follow(follower=ann, followee=bo)
    assert not Follow.objects.exists()


def test_a_deleted_user_cannot_be_followed(pair):
    """Anonymised accounts are gone for the graph."""
    ann, bo = pair
    services.user_delete(user=bo)

    with pytest.raises(UserNotFound):
        services.user_follow(follower=ann, followee=bo)


def test_unfollow_is_idempotent(pair):
    """Unfollowing removes the follow, and unfollowing again is fine."""
    ann, bo = pair
    FollowFactory(follower=ann, followee=bo)

    services.user_unfollow(follower=ann, followee=bo)
    services.user_unfollow(follower=ann, followee=bo)

    assert not Follow.objects.exists()


def test_block_removes_follows_and_close_friends_both_ways(pair):
    """A block takes away every follow and close-friend entry between the two."""
    ann, bo = pair
    carol = UserFactory()
    FollowFactory(follower=ann, followee=bo)
    FollowFactory(follower=bo, followee=ann)
    FollowFactory(follower=ann, followee=carol)
    CloseFriendFactory(owner=ann, friend=bo)
    CloseFriendFactory(owner=bo, friend=ann)

    services.user_block(blocker=ann, blocked=bo)

    assert list(Follow.objects.values_list("follower", "followee")) == [(ann.pk, carol.pk)]
    assert not CloseFriend.objects.exists()
    assert Block.objects.filter(blocker=ann, blocked=bo).count() == 1


def test_block_and_unblock_are_idempotent(pair):
    """Blocking twice keeps one block; unblocking twice is fine."""
    ann, bo = pair

    services.user_block(blocker=ann, blocked=bo)
    services.user_block(blocker=ann, blocked=bo)
    assert Block.objects.count() == 1

    services.user_unblock(blocker=ann, blocked=bo)
    services.user_unblock(blocker=ann, blocked=bo)
    assert not Block.objects.exists()


def test_blocking_someone_who_blocked_you_is_allowed(pair):
    """Each side may keep their own block, so one unblocking does not reopen the other."""
    ann, bo = pair
    BlockFactory(blocker=bo, blocked=ann)

    services.user_block(blocker=ann, blocked=bo)

    assert Block.objects.count() == 2


def test_nobody_blocks_themselves(pair):
    """Blocking oneself is refused."""
    ann, _ = pair

    with pytest.raises(SelfTarget):
        services.user_block(blocker=ann, blocked=ann)


def test_mute_and_unmute_are_idempotent(pair):
    """Muting twice keeps one mute; unmuting removes it."""
    ann, bo = pair

    services.user_mute(muter=ann, muted=bo)
    services.user_mute(muter=ann, muted=bo)
    assert Mute.objects.count() == 1

    services.user_unmute(muter=ann, muted=bo)
    assert not Mute.objects.exists()


def test_mute_leaves_the_follow(pair):
    """Muting is quieter than unfollowing: the follow stays."""
    ann, bo = pair
    FollowFactory(follower=ann, followee=bo)

    services.user_mute(muter=ann, muted=bo)

    assert Follow.objects.filter(follower=ann, followee=bo).exists()


def test_close_friend_needs_no_follow(pair):
    """Anyone the owner may see can go on the close-friends list."""
    ann, bo = pair

    services.close_friend_add(owner=ann, friend=bo)
    services.close_friend_add(owner=ann, friend=bo)

    assert CloseFriend.objects.filter(owner=ann, friend=bo).count() == 1


def test_close_friend_across_a_block_is_not_found(pair):
    """Someone hidden by a block cannot go on the list."""
    ann, bo = pair
    BlockFactory(blocker=bo, blocked=ann)

    with pytest.raises(UserNotFound):
        services.close_friend_add(owner=ann, friend=bo)


def test_close_friend_remove(pair):
    """Removing takes the friend off the list."""
    ann, bo = pair
    CloseFriendFactory(owner=ann, friend=bo)

    services.close_friend_remove(owner=ann, friend=bo)

    assert not CloseFriend.objects.exists()


def test_nobody_is_their_own_close_friend(pair):
    """Adding oneself is refused."""
    ann, _ = pair

    with pytest.raises(SelfTarget):
        services.close_friend_add(owner=ann, friend=ann)
