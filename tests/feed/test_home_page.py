"""The home page's cards (`feed:home_cards`): the grid of the first page, later pages through
the infinite-scroll sentinel, the empty state with people to follow, and a bad cursor."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from feed.timeline import HOME_PAGE_SIZE
from tests.factories import FollowFactory, UserFactory
from tests.factories_posts import PostFactory, PostMediaFactory

pytestmark = pytest.mark.django_db

URL = reverse("feed:home_cards")


@pytest.fixture
def me(client):
    user = UserFactory(username="me", display_name="Me")
    client.force_login(user)
    return user


def _card_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-post-card="(\d+)"', html)]


def _next_url(html: str) -> str | None:
    found = re.search(r'class="home-more" hx-get="([^"]+)" hx-trigger="revealed"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_first_page_is_the_grid_of_followed_people_and_my_own_posts(client, me):
    """Cards of the people I follow and mine, newest first; a stranger's post is not there.
    Each card shows its first line, the author's name and the like count."""
    ana = UserFactory(display_name="Ana")
    FollowFactory(follower=me, followee=ana)
    older = PostFactory(author=ana, text="Lychee season!\nMore words", like_count=7)
    mine = PostFactory(author=me)
    PostFactory()  # a stranger's

    response = client.get(URL)
    html = response.content.decode()

    assert response.status_code == 200
    assert 'class="feed-grid home-grid posts-grid"' in html
    assert _card_ids(html) == [mine.pk, older.pk]
    assert "Lychee season!" in html
    assert "More words" not in html
    assert ">Ana<" in html
    assert "7" in html
    assert _next_url(html) is None


def test_a_card_with_a_picture_shows_its_placeholder_colour_while_loading(client, me):
    """The cover carries the picture's placeholder colour until the image arrives."""
    post = PostFactory(author=me)
    PostMediaFactory(post=post, media__placeholder="#d9a441")

    html = client.get(URL).content.decode()

    assert "#d9a441" in html
    assert 'loading="lazy"' in html


def test_pages_follow_each_other_through_the_sentinel_until_every_post_is_shown(client, me):
    """The first page ends with a sentinel that loads the next page when revealed; later pages
    are cards and the next sentinel only; together they show every post exactly once."""
    ana = UserFactory()
    FollowFactory(follower=me, followee=ana)
    posts = PostFactory.create_batch(HOME_PAGE_SIZE * 2 + 3, author=ana)

    first = client.get(URL).content.decode()
    seen = _card_ids(first)
    url = _next_url(first)
    pages = 1
    while url:
        page = client.get(url).content.decode()
        assert "feed-grid" not in page
        seen += _card_ids(page)
        url = _next_url(page)
        pages += 1

    assert pages == 3
    assert sorted(seen) == sorted(post.pk for post in posts)
    assert len(seen) == len(set(seen))


def test_a_bad_cursor_is_a_400_with_a_message_and_no_cards(client, me):
    """A cursor the feed never gave out is refused with a sentence, never a 500."""
    response = client.get(URL, {"cursor": "not-a-cursor"})

    assert response.status_code == 400
    assert "first page" in response.content.decode()


@pytest.mark.parametrize("cards", [3, HOME_PAGE_SIZE])
def test_a_page_costs_the_same_queries_whatever_its_length(
    client, me, cards, django_assert_num_queries
):
    """Session, user, and the timeline page (authors and the viewer's likes and saves in the
    same query; pictures from the posts' card snapshots): three queries for 3 cards or a full
    page with pictures."""
    ana = UserFactory()
    FollowFactory(follower=me, followee=ana)
    for post in PostFactory.create_batch(cards, author=ana):
        PostMediaFactory(post=post)

    with django_assert_num_queries(3):
        response = client.get(URL)

    assert len(_card_ids(response.content.decode())) == cards


def test_home_of_someone_who_follows_nobody_offers_people_to_follow(client, me):
    """An empty home is a friendly state with suggested people and their follow buttons."""
    popular = UserFactory(username="ana", display_name="Ana")
    FollowFactory.create_batch(2, followee=popular)

    html = client.get(URL).content.decode()

    assert "Your home fills up with friends" in html
    assert f'hx-post="{reverse("accounts:follow", args=["ana"])}"' in html
    assert f'href="{reverse("feed:suggestions")}"' in html
    assert _card_ids(html) == []


def test_home_of_someone_whose_people_have_not_posted_says_so(client, me):
    """Following people who have not posted yet reads differently from following nobody."""
    FollowFactory(follower=me, followee=UserFactory())

    html = client.get(URL).content.decode()

    assert "haven't posted yet" in html


def test_home_cards_ask_visitors_to_sign_in(client):
    """A visitor is sent to sign in; the landing page is theirs."""
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:signin"))
