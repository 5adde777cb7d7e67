"""The search page (`feed:search`): the whole page, the htmx body as you type, the next page of
results, the tabs and sort, the empty and no-result states, a refused query, and the shell's
search entry."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feed.search import PAGE_SIZE
from posts.services.content import store_hashtags
from tests.factories import BlockFactory, FollowFactory, UserFactory
from tests.factories_commerce import ProductFactory, SKUFactory
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db

URL = reverse("feed:search")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def me(client):
    user = UserFactory(username="me", display_name="Me")
    client.force_login(user)
    return user


def _card_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-post-card="(\d+)"', html)]


def _post(text: str, **fields):
    post = PostFactory(text=text, **fields)
    store_hashtags(post)
    return post


def test_the_page_shows_the_box_tabs_and_matching_cards(client, me):
    best = _post("Mango mango mango #mango")
    other = _post("one mango")
    _post("lychee")

    response = client.get(URL, {"q": "mango"})
    html = response.content.decode()

    assert response.status_code == 200
    assert 'id="search-q"' in html
    assert 'value="mango"' in html
    assert 'data-search-tab="posts" aria-current="page"' in html
    assert "Most liked" in html
    assert _card_ids(html) == [best.pk, other.pk]


def test_visitors_may_search_public_posts(client):
    public = _post("mango public")
    _post("mango followers", visibility="followers")
    response = client.get(URL, {"q": "mango"})
    assert response.status_code == 200
    assert _card_ids(response.content.decode()) == [public.pk]


def test_htmx_gets_only_the_body_under_the_box(client, me):
    post = _post("peach tart")
    response = client.get(URL, {"q": "peach"}, **HTMX)
    html = response.content.decode()
    assert 'id="search-q"' not in html
    assert "<html" not in html
    assert 'name="type" value="posts" form="search-form"' in html
    assert _card_ids(html) == [post.pk]


def test_the_sort_is_kept_and_applied(client, me):
    liked = _post("plum cake", like_count=9)
    newer = _post("plum jam")
    html = client.get(URL, {"q": "plum", "sort": "likes"}, **HTMX).content.decode()
    assert _card_ids(html) == [liked.pk, newer.pk]
    assert re.search(r'sort=likes"[^>]*aria-current="true"', html)
    assert 'name="sort" value="likes"' in html


def test_the_next_page_comes_through_the_sentinel(client, me):
    for number in range(PAGE_SIZE + 2):
        _post(f"pear {number}")
    html = client.get(URL, {"q": "pear"}).content.decode()
    found = re.search(r'class="home-more search-more" hx-get="([^"]+)"', html)
    assert len(_card_ids(html)) == PAGE_SIZE
    assert found

    more = client.get(found.group(1).replace("&amp;", "&"), **HTMX).content.decode()
    assert len(_card_ids(more)) == 2
    assert "search-more" not in more
    assert 'id="search-q"' not in more
    assert set(_card_ids(html)).isdisjoint(_card_ids(more))


def test_product_rows_link_to_the_product(client, me):
    product = ProductFactory(name="Alphonso mangoes")
    SKUFactory(product=product, price=3990)
    html = client.get(URL, {"q": "mango", "type": "products"}).content.decode()
    assert f'data-search-product="{product.pk}"' in html
    assert reverse("commerce:product_detail", args=[product.pk]) in html
    assert "Alphonso mangoes" in html
    assert "Most liked" not in html


def test_people_rows_offer_follow_or_say_following(client, me):
    followed = UserFactory(username="mei_bakes", display_name="Mei")
    other = UserFactory(username="mei_grills", display_name="Mei G")
    blocked = UserFactory(username="mei_hidden", display_name="Mei H")
    FollowFactory(follower=me, followee=followed)
    BlockFactory(blocker=blocked, blocked=me)

    html = client.get(URL, {"q": "mei", "type": "users"}).content.decode()

    row = html.split('data-search-user="mei_bakes"')[1].split("</li>")[0]
    assert "Following" in row
    assert "hx-post" not in row
    row = html.split(f'data-search-user="{other.username}"')[1].split("</li>")[0]
    assert reverse("accounts:follow", args=[other.username]) in row
    assert "mei_hidden" not in html


def test_no_query_shows_the_invitation_and_no_result_says_so(client, me):
    html = client.get(URL).content.decode()
    assert "Find what people love" in html

    html = client.get(URL, {"q": "durian"}).content.decode()
    assert "Nothing for “durian”" in html


def test_a_refused_query_is_said_in_the_page(client, me, settings):
    settings.SEARCH_QUERY_MAX_LENGTH = 10
    response = client.get(URL, {"q": "a" * 11})
    assert response.status_code == 200
    assert "Keep the search to 10 characters or fewer." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x", "type": "shops"},
        {"q": "x", "sort": "random"},
        {"q": "x", "page": "lots"},
        {"q": "x", "page": "-3"},
        {"q": "a\x00b"},
    ],
)
def test_odd_parameters_never_break_the_page(client, params):
    assert client.get(URL, params).status_code == 200


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_shell_has_a_search_entry_for_everyone(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    html = client.get("/").content.decode()
    assert f'class="icon-btn search-link" href="{URL}"' in html


def test_the_results_cost_the_same_queries_for_2_cards_as_for_a_page(client, me):
    def queries_for(term: str, count: int) -> int:
        for number in range(count):
            _post(f"{term} {number}")
        with CaptureQueriesContext(connection) as captured:
            html = client.get(URL, {"q": term}, **HTMX).content.decode()
        assert len(_card_ids(html)) == count
        return len(captured)

    assert queries_for("quince", 2) == queries_for("medlar", PAGE_SIZE)
