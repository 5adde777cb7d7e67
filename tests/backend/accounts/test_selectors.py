"""Social-graph selectors: pairwise questions, id sets, profiles, lists and visibility."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Value

from backend.accounts import selectors, services
from backend.accounts.errors import UserNotFound
from backend.accounts.models import Follow, User, Visibility
from tests.factories import (
    BlockFactory,
    CloseFriendFactory,
    FollowFactory,
    MuteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def follow(a, b):
    FollowFactory(follower=a, followee=b)


def test_user_by_username_ignores_case_and_skips_deleted_and_inactive():
    """Lookup is case-insensitive; deleted and deactivated accounts are not found."""
    lin = UserFactory(username="Lin")
    gone = UserFactory(username="gone")
    services.user_delete(user=gone)
    UserFactory(username="off", is_active=False)

    assert selectors.user_by_username("lIN") == lin
    for name in (gone.username, "gone", "off", "nobody", "", "x" * 5000):
        with pytest.raises(UserNotFound):
            selectors.user_by_username(name)


def test_is_following_is_directional():
    """A follows B says nothing about B following A."""
    a, b = UserFactory(), UserFactory()
    follow(a, b)

    assert selectors.is_following(a, b)
    assert not selectors.is_following(b, a)
    assert not selectors.is_following(AnonymousUser(), b)


def test_is_friend_needs_both_directions():
    """Friends are mutual follows."""
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    follow(a, b)
    follow(b, a)
    follow(a, c)

    assert selectors.is_friend(a, b)
    assert selectors.is_friend(b, a)
    assert not selectors.is_friend(a, c)
    assert not selectors.is_friend(None, a)


def test_is_blocked_either_sees_both_directions():
    """A block by either side counts."""
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    BlockFactory(blocker=b, blocked=a)

    assert selectors.is_blocked_either(a, b)
    assert selectors.is_blocked_either(b, a)
    assert not selectors.is_blocked_either(a, c)


def test_id_sets(django_assert_num_queries):
    """friend_ids, close_friend_ids, blocked_ids and muted_ids each answer in one query."""
    me = UserFactory()
    friend, fan, idol, blocker, blocked, muted, close = (UserFactory() for _ in range(7))
    follow(me, friend)
    follow(friend, me)
    follow(fan, me)
    follow(me, idol)
    BlockFactory(blocker=blocker, blocked=me)
    BlockFactory(blocker=me, blocked=blocked)
    MuteFactory(muter=me, muted=muted)
    CloseFriendFactory(owner=me, friend=close)

    with django_assert_num_queries(4):
        assert selectors.friend_ids(me) == {friend.pk}
        assert selectors.close_friend_ids(me) == {close.pk}
        assert selectors.blocked_ids(me) == {blocker.pk, blocked.pk}
        assert selectors.muted_ids(me) == {muted.pk}


def test_follow_counts():
    """Followers and following are counted in one query."""
    me, a, b, c = (UserFactory() for _ in range(4))
    follow(a, me)
    follow(b, me)
    follow(me, c)

    assert selectors.follow_counts(me) == selectors.FollowCounts(followers=2, following=1)


def test_profile_get_reads_counts_and_relationship_in_one_query(django_assert_num_queries):
    """A profile with its counts and the viewer's standing costs one query."""
    me, lin = UserFactory(), UserFactory(username="lin")
    follow(me, lin)
    follow(lin, me)
    MuteFactory(muter=me, muted=lin)
    CloseFriendFactory(owner=me, friend=lin)

    with django_assert_num_queries(1):
        profile = selectors.profile_get(username="lin", viewer=me)

    assert (profile.followers_count, profile.following_count) == (1, 1)
    rel = profile.relationship
    assert rel.is_following
    assert rel.is_followed_by
    assert rel.is_friend
    assert rel.is_muting
    assert rel.is_close_friend
    assert not rel.is_blocked_either


def test_profile_get_reports_blocks_both_ways():
    """The relationship says who blocks whom."""
    me, lin, mei = UserFactory(), UserFactory(username="lin"), UserFactory(username="mei")
    BlockFactory(blocker=me, blocked=lin)
    BlockFactory(blocker=mei, blocked=me)

    assert selectors.profile_get(username="lin", viewer=me).relationship.is_blocking
    assert selectors.profile_get(username="mei", viewer=me).relationship.is_blocked_by


def test_profile_get_for_anonymous_viewer_has_no_relationship():
    """A viewer who is not signed in has no relationship to anyone."""
    UserFactory(username="lin")

    profile = selectors.profile_get(username="lin", viewer=AnonymousUser())

    assert profile.relationship == selectors.Relationship()


def test_followers_of_newest_first_hiding_blocked_and_deleted():
    """Followers come newest first, without people blocked either way with the viewer or
    deleted accounts; `viewer_follows` says whom the viewer follows."""
    star, viewer = UserFactory(), UserFactory()
    old_fan, new_fan, hidden, gone = (UserFactory() for _ in range(4))
    for fan in (old_fan, hidden, gone, new_fan):
        follow(fan, star)
    BlockFactory(blocker=hidden, blocked=viewer)
    services.user_delete(user=gone)
    follow(viewer, old_fan)

    rows = list(selectors.followers_of(star, viewer=viewer))

    assert rows == [new_fan, old_fan]
    assert [row.viewer_follows for row in rows] == [False, True]


def test_a_block_by_a_third_person_does_not_hide_the_viewer_from_lists():
    """Someone blocking the viewer hides that someone, never the viewer, from lists."""
    star, viewer, grump = UserFactory(), UserFactory(), UserFactory()
    follow(viewer, star)
    follow(grump, star)
    BlockFactory(blocker=grump, blocked=viewer)

    assert list(selectors.followers_of(star, viewer=viewer)) == [viewer]


def test_following_of_lists_followees():
    """following_of lists whom the user follows, newest first."""
    me, a, b = UserFactory(), UserFactory(), UserFactory()
    follow(me, a)
    follow(me, b)
    follow(a, me)

    assert list(selectors.following_of(me)) == [b, a]


def test_user_lists_cost_the_same_whatever_their_length(django_assert_num_queries):
    """A page of followers with the viewer's follow state is one query, long or short."""
    star, viewer = UserFactory(), UserFactory()
    for _ in range(25):
        fan = UserFactory()
        follow(fan, star)
        follow(viewer, fan)

    with django_assert_num_queries(1):
        rows = list(selectors.followers_of(star, viewer=viewer)[:20])

    assert len(rows) == 20
    assert all(row.viewer_follows for row in rows)


def test_close_friends_blocked_and_muted_lists():
    """Each list holds exactly the people on it."""
    me, a, b, c = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    CloseFriendFactory(owner=me, friend=a)
    BlockFactory(blocker=me, blocked=b)
    MuteFactory(muter=me, muted=c)

    assert list(selectors.close_friends_of(me)) == [a]
    assert list(selectors.blocked_users(me)) == [b]
    assert list(selectors.muted_users(me)) == [c]


# --- Visibility ------------------------------------------------------------------------------

PUBLIC, FOLLOWERS, FRIENDS, CLOSE = (
    Visibility.PUBLIC,
    Visibility.FOLLOWERS,
    Visibility.FRIENDS,
    Visibility.CLOSE_FRIENDS,
)


def _stranger(viewer, author):
    pass


def _follower(viewer, author):
    follow(viewer, author)


def _followed_by(viewer, author):
    follow(author, viewer)


def _friend(viewer, author):
    follow(viewer, author)
    follow(author, viewer)


def _close_friend(viewer, author):
    CloseFriendFactory(owner=author, friend=viewer)


def _friend_and_close(viewer, author):
    _friend(viewer, author)
    _close_friend(viewer, author)


def _muting_follower(viewer, author):
    follow(viewer, author)
    MuteFactory(muter=viewer, muted=author)


def _author_blocks(viewer, author):
    BlockFactory(blocker=author, blocked=viewer)


def _viewer_blocks(viewer, author):
    BlockFactory(blocker=viewer, blocked=author)


def _friend_of_deleted_author(viewer, author):
    _friend_and_close(viewer, author)
    services.user_delete(user=author)


def _friend_of_deactivated_author(viewer, author):
    _friend_and_close(viewer, author)
    User.objects.filter(pk=author.pk).update(is_active=False)


# relation -> what the viewer may see at public, followers, friends, close friends
MATRIX = {
    _stranger: (True, False, False, False),
    _follower: (True, True, False, False),
    _followed_by: (True, False, False, False),
    _friend: (True, True, True, False),
    _close_friend: (True, False, False, True),
    _friend_and_close: (True, True, True, True),
    _muting_follower: (True, True, False, False),
    _author_blocks: (False, False, False, False),
    _viewer_blocks: (False, False, False, False),
    _friend_of_deleted_author: (False, False, False, False),
    _friend_of_deactivated_author: (False, False, False, False),
}
CASES = [
    pytest.param(relation, visibility, expected, id=f"{relation.__name__[1:]}-{visibility}")
    for relation, row in MATRIX.items()
    for visibility, expected in zip((PUBLIC, FOLLOWERS, FRIENDS, CLOSE), row, strict=True)
]


@pytest.mark.parametrize(("relation", "visibility", "expected"), CASES)
def test_may_view_matrix(relation, visibility, expected):
    """may_view follows the visibility rules for every relation between viewer and author."""
    viewer, author = UserFactory(), UserFactory()
    relation(viewer, author)
    author.refresh_from_db()

    assert selectors.may_view(viewer=viewer, author=author, visibility=visibility) is expected


@pytest.mark.parametrize(("relation", "visibility", "expected"), CASES)
def test_visible_author_filter_agrees_with_may_view(relation, visibility, expected):
    """The queryset filter keeps exactly the rows may_view allows, relation by relation."""
    viewer, author = UserFactory(), UserFactory()
    relation(viewer, author)
    rows = User.objects.annotate(visibility=Value(str(visibility))).filter(pk=author.pk)

    kept = rows.filter(selectors.visible_author_filter(viewer, author_field="")).exists()

    assert kept is expected


@pytest.mark.parametrize("visibility", [PUBLIC, FOLLOWERS, FRIENDS, CLOSE])
@pytest.mark.parametrize("anonymous", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_viewers_not_signed_in_see_only_public(visibility, anonymous):
    """Without a signed-in viewer only public content shows, by may_view and by the filter."""
    author = UserFactory()
    rows = User.objects.annotate(visibility=Value(str(visibility))).filter(pk=author.pk)

    expected = visibility == PUBLIC
    assert selectors.may_view(viewer=anonymous, author=author, visibility=visibility) is expected
    assert rows.filter(selectors.visible_author_filter(anonymous, author_field="")).exists() is (
        expected
    )


@pytest.mark.parametrize("visibility", [PUBLIC, FOLLOWERS, FRIENDS, CLOSE])
def test_authors_always_see_their_own_content(visibility):
    """The author sees their own content at every visibility, muted or not."""
    me = UserFactory()
    rows = User.objects.annotate(visibility=Value(str(visibility))).filter(pk=me.pk)
    my_filter = selectors.visible_author_filter(me, author_field="", exclude_muted=True)

    assert selectors.may_view(viewer=me, author=me, visibility=visibility)
    assert rows.filter(my_filter).exists()


def test_visible_author_filter_can_drop_muted_authors():
    """exclude_muted keeps muted authors out (feeds) and leaves everyone else."""
    viewer, muted, other = UserFactory(), UserFactory(), UserFactory()
    MuteFactory(muter=viewer, muted=muted)
    rows = User.objects.annotate(visibility=Value(PUBLIC)).exclude(pk=viewer.pk)

    kept = rows.filter(selectors.visible_author_filter(viewer, author_field="", exclude_muted=True))

    assert list(kept) == [other]


def test_visible_author_filter_works_through_a_relation(django_assert_num_queries):
    """On rows that point at their author, the filter follows the FK in a single query."""
    viewer, friend, stranger = UserFactory(), UserFactory(), UserFactory()
    follow(viewer, friend)
    follow(friend, viewer)
    for author in (friend, stranger):
        FollowFactory(follower=author, followee=UserFactory())
    # Follow rows stand in for posts: `follower` plays the author, every row at "friends".
    rows = Follow.objects.annotate(visibility=Value(FRIENDS))

    with django_assert_num_queries(1):
        authors = {
            row.follower_id
            for row in rows.filter(selectors.visible_author_filter(viewer, author_field="follower"))
        }

    assert friend.pk in authors
    assert stranger.pk not in authors


def test_may_view_refuses_unknown_visibility():
    """A visibility outside the four is a programming error."""
    with pytest.raises(ValueError, match="unknown visibility"):
        selectors.may_view(viewer=None, author=UserFactory(), visibility="secret")
