"""Suggested people (feed.people): friends of friends ranked by how many, authors of posts the
viewer liked, then popular newcomers; never the viewer, people already followed, blocks either
way, mutes, or accounts that are gone; a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from feed.people import RECENT_WINDOW, Reason, suggestions
from posts.models import Like
from tests.factories import BlockFactory, FollowFactory, MuteFactory, UserFactory
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    return UserFactory(username="me", display_name="Me")


def _follow(follower, *followees):
    for followee in followees:
        FollowFactory(follower=follower, followee=followee)


def _suggested(viewer, limit=20):
    return [suggestion.user for suggestion in suggestions(viewer, limit=limit)]


def test_friends_of_friends_come_first_ranked_by_how_many_of_my_people_follow_them(me):
    """Someone followed by two of the people I follow ranks above someone followed by one,
    and both above a stranger."""
    ana, bo = UserFactory(display_name="Ana"), UserFactory(display_name="Bo")
    _follow(me, ana, bo)
    twice, once = UserFactory(), UserFactory()
    _follow(ana, twice, once)
    _follow(bo, twice)
    stranger = UserFactory()
    FollowFactory.create_batch(3, followee=stranger)

    found = suggestions(me, limit=10)
    users = [suggestion.user for suggestion in found]

    assert users[:2] == [twice, once]
    assert users.index(stranger) > 1
    assert found[0].reason == Reason.PEOPLE_YOU_KNOW
    assert found[0].mutual_count == 2
    assert found[1].mutual_count == 1


def test_the_line_names_the_people_i_know(me):
    """ "Followed by Ana and 2 others you know": the latest follower by name, the rest counted."""
    known = [UserFactory(display_name=name) for name in ("Cy", "Bo", "Ana")]
    _follow(me, *known)
    target = UserFactory()
    for person in known:  # Ana follows last.
        FollowFactory(follower=person, followee=target)

    (first,) = [s for s in suggestions(me, limit=5) if s.user == target]

    assert first.text == "Followed by Ana and 2 others you know"
    assert first.mutual_names == ["Ana", "Bo"]


def test_authors_of_posts_i_liked_are_suggested_after_friends_of_friends(me):
    """People whose posts I liked come after friends of friends, before strangers."""
    ana = UserFactory()
    _follow(me, ana)
    fof = UserFactory()
    _follow(ana, fof)
    liked_author = UserFactory()
    Like.objects.create(user=me, post=PostFactory(author=liked_author))
    stranger = UserFactory()
    FollowFactory.create_batch(5, followee=stranger)

    found = suggestions(me, limit=10)

    assert [s.user for s in found][:3] == [fof, liked_author, stranger]
    assert found[1].reason == Reason.LIKED_POSTS
    assert found[1].text == "You liked their posts"
    assert found[2].reason == Reason.POPULAR


def test_never_me_nor_anyone_i_follow_already(me):
    """Neither the viewer nor the people they follow (reached through a friend) is suggested."""
    ana, bo = UserFactory(), UserFactory()
    _follow(me, ana, bo)
    _follow(ana, bo, me)

    assert _suggested(me) == []


def test_blocks_either_way_and_mutes_are_never_suggested(me):
    """A friend of a friend I block, who blocks me, or whom I muted is left out."""
    ana = UserFactory()
    _follow(me, ana)
    blocked, blocker, muted, fine = UserFactory.create_batch(4)
    _follow(ana, blocked, blocker, muted, fine)
    BlockFactory(blocker=me, blocked=blocked)
    BlockFactory(blocker=blocker, blocked=me)
    MuteFactory(muter=me, muted=muted)

    assert _suggested(me) == [fine]


def test_deleted_deactivated_and_long_absent_accounts_are_not_suggested(me):
    """Gone accounts never show, even through a friend; a popular stranger who has not been
    around in months is left out, one who signed in lately is in."""
    ana = UserFactory()
    _follow(me, ana)
    gone = UserFactory(anonymised_at=timezone.now())
    off = UserFactory(is_active=False)
    _follow(ana, gone, off)
    long_ago = timezone.now() - RECENT_WINDOW - timedelta(days=1)
    UserFactory(date_joined=long_ago, last_login=None)
    back = UserFactory(date_joined=long_ago, last_login=timezone.now())

    assert _suggested(me) == [back]


def test_a_follow_through_someone_who_is_gone_does_not_count(me):
    """Mutual counts only count present people I follow."""
    ana = UserFactory(is_active=False)
    _follow(me, ana)
    target = UserFactory()
    _follow(ana, target)

    (found,) = [s for s in suggestions(me, limit=5) if s.user == target]

    assert found.mutual_count == 0


def test_limit_and_offset_page_through_the_ranking(me):
    """Pages of the ranking follow each other without overlap."""
    people = UserFactory.create_batch(5)
    for rank, person in enumerate(people):
        FollowFactory.create_batch(5 - rank, followee=person)

    first = _suggested(me, limit=2)
    second = [s.user for s in suggestions(me, limit=2, offset=2)]

    assert first == people[:2]
    assert second == people[2:4]


@pytest.mark.parametrize("limit", [3, 30])
def test_suggestions_cost_two_queries_whatever_the_limit(me, limit, django_assert_num_queries):
    """The ranking is one query, the names of the people I know one more."""
    known = UserFactory.create_batch(3)
    _follow(me, *known)
    for person in UserFactory.create_batch(30):
        _follow(known[0], person)
        _follow(known[1], person)

    with django_assert_num_queries(2):
        found = suggestions(me, limit=limit)

    assert len(found) == limit
    assert all(len(s.mutual_names) == 2 for s in found)
