"""GET search (feed.api.search): posts, products and people, best first, on whichever database
the suite runs (SQLite by default, PostgreSQL with DATABASE_URL: both must pass).

Relevance fixtures hold an obvious best match, a weaker one and a near miss; visibility and
blocks; the post sorts; bad input as the error shape; the query count of a page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from feed.search import MAX_PAGES, PAGE_SIZE
from posts.models import Post
from posts.services.content import store_hashtags
from posts.snapshot import refresh_cards
from tests.factories import BlockFactory, CloseFriendFactory, FollowFactory, UserFactory
from tests.factories_commerce import MerchantFactory, ProductFactory, SKUFactory
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/search"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def me(api):
    user = UserFactory(username="me", display_name="Me Myself")
    api.force_authenticate(user)
    return user


def _post(text: str, *, author=None, ago_hours: float = 1, **fields) -> Post:
    """A published post whose hashtags are those of its text, as posts' services store them."""
    author = author or UserFactory(display_name="Someone")
    published = timezone.now() - datetime.timedelta(hours=ago_hours)
    post = PostFactory(author=author, text=text, published_at=published, **fields)
    store_hashtags(post)
    refresh_cards([post.pk])
    return post


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


# --- Posts: relevance -------------------------------------------------------------------------


def test_the_obvious_best_post_comes_first(api):
    """Tagged #mango and all about mangoes beats a passing mention, and a post without the
    word never shows."""
    best = _post("Mango sticky rice: the best mango of the summer, ripe mango #mango")
    passing = _post("Went to the market, bought bread and one mango", like_count=50)
    _post("Lychee and durian today #fruit")

    assert _ids(api.get(URL, {"q": "mango"})) == [best.pk, passing.pk]


def test_a_hashtag_is_found_with_or_without_its_hash_in_cjk_too(api):
    """`#芒果` and `芒果` both find the post tagged #芒果, even inside a run of CJK text."""
    tagged = _post("今天买了 #芒果 好甜")
    inside = _post("好吃的芒果布丁")
    _post("榴莲 #榴莲")

    assert _ids(api.get(URL, {"q": "#芒果"})) == [tagged.pk, inside.pk]
    assert _ids(api.get(URL, {"q": "芒果"})) == [tagged.pk, inside.pk]


def test_every_word_must_match_and_the_whole_phrase_ranks_first(api):
    phrase = _post("Try this banana bread with walnuts")
    apart = _post("Bread from the bakery, and a banana on the side", like_count=9)
    _post("Just bread")

    assert _ids(api.get(URL, {"q": "banana bread"})) == [phrase.pk, apart.pk]


def test_a_half_typed_word_already_finds(api):
    """Results as you type: the start of a word matches."""
    post = _post("Strawberries from the farm")
    assert _ids(api.get(URL, {"q": "strawb"})) == [post.pk]


def test_case_does_not_matter(api):
    post = _post("PEACH season #Peach")
    assert _ids(api.get(URL, {"q": "peach"})) == [post.pk]
    assert _ids(api.get(URL, {"q": "#PEACH"})) == [post.pk]


# --- Posts: sorts -----------------------------------------------------------------------------


def test_posts_sort_by_newest_likes_and_saves(api):
    old = _post("plum one", ago_hours=30, like_count=1, save_count=9)
    mid = _post("plum two", ago_hours=20, like_count=8, save_count=0)
    new = _post("plum three", ago_hours=1, like_count=3, save_count=4)

    assert _ids(api.get(URL, {"q": "plum", "sort": "newest"})) == [new.pk, mid.pk, old.pk]
    assert _ids(api.get(URL, {"q": "plum", "sort": "likes"})) == [mid.pk, new.pk, old.pk]
    assert _ids(api.get(URL, {"q": "plum", "sort": "saves"})) == [old.pk, new.pk, mid.pk]


def test_equal_matches_rank_by_engagement(api):
    quiet = _post("kiwi", like_count=1)
    loved = _post("kiwi", like_count=5, save_count=2)
    assert _ids(api.get(URL, {"q": "kiwi"})) == [loved.pk, quiet.pk]


# --- Posts: who sees what ---------------------------------------------------------------------


def test_invisible_posts_never_match(api, me):
    """Drafts, deleted, hidden, followers-only of someone I do not follow, close friends I am
    not one of, and deactivated authors: none of them; what I may see: all of them."""
    stranger = UserFactory(display_name="Stranger")
    followed = UserFactory(display_name="Followed")
    FollowFactory(follower=me, followee=followed)
    close = UserFactory(display_name="Close")
    CloseFriendFactory(owner=close, friend=me)
    gone = UserFactory(display_name="Gone", is_active=False)

    seen = [
        _post("apricot public", author=stranger),
        _post("apricot for followers", author=followed, visibility="followers"),
        _post("apricot for close friends", author=close, visibility="close_friends"),
        _post("apricot my own", author=me, visibility="friends"),
    ]
    _post("apricot draft", author=stranger, status=Post.Status.DRAFT)
    _post("apricot deleted", author=stranger, deleted_at=timezone.now())
    _post("apricot hidden", author=stranger, hidden_at=timezone.now())
    _post("apricot followers only", author=stranger, visibility="followers")
    _post("apricot close", author=stranger, visibility="close_friends")
    _post("apricot gone", author=gone)

    assert sorted(_ids(api.get(URL, {"q": "apricot"}))) == sorted(post.pk for post in seen)


def test_visitors_find_public_posts_only(api):
    public = _post("fig public")
    _post("fig followers", visibility="followers")
    assert _ids(api.get(URL, {"q": "fig"})) == [public.pk]


def test_posts_of_people_blocked_either_way_never_match(api, me):
    blocked, blocker = UserFactory(display_name="B1"), UserFactory(display_name="B2")
    BlockFactory(blocker=me, blocked=blocked)
    BlockFactory(blocker=blocker, blocked=me)
    _post("guava one", author=blocked)
    _post("guava two", author=blocker)
    fine = _post("guava three")

    assert _ids(api.get(URL, {"q": "guava"})) == [fine.pk]


def test_posts_come_in_the_apis_post_shape(api):
    post = _post("cherry pie #cherry")
    item = api.get(URL, {"q": "cherry"}).json()["results"][0]
    assert item["id"] == post.pk
    assert {"author", "text", "hashtags", "like_count", "media"} <= set(item)


# --- Products ---------------------------------------------------------------------------------


def _product(name: str, description: str = "", **fields):
    product = ProductFactory(name=name, description=description, **fields)
    SKUFactory(product=product)
    return product


def test_products_by_name_first_then_description_for_sale_only(api):
    named = _product("Alphonso mango box", "Sweet")
    described = _product("Summer fruit box", "With one mango inside")
    _product("Mango jam", "Off the shelf", active=False)
    _product("Mango chutney", "Shop closed", merchant=MerchantFactory(status="suspended"))
    ProductFactory(name="Mango without SKU")

    response = api.get(URL, {"q": "mango", "type": "products"})
    assert _ids(response) == [named.pk, described.pk]
    first = response.json()["results"][0]
    assert first["name"] == "Alphonso mango box"
    assert {"merchant", "price", "currency", "image", "in_stock"} <= set(first)


# --- People -----------------------------------------------------------------------------------


def test_people_by_username_and_display_name_prefix_exact_first(api):
    exact = UserFactory(username="mei", display_name="Plain")
    leading = UserFactory(username="mei_bakes", display_name="Bakery")
    by_name = UserFactory(username="zz_chef", display_name="Meiling Chen")
    by_word = UserFactory(username="yy_cook", display_name="Chef Meiko")
    UserFactory(username="tom", display_name="Tom")

    ids = _ids(api.get(URL, {"q": "mei", "type": "users"}))
    assert ids[:4] == [exact.pk, leading.pk, by_name.pk, by_word.pk]
    assert len(ids) == 4


def test_an_at_sign_is_not_part_of_the_name(api):
    mei = UserFactory(username="mei", display_name="M")
    assert _ids(api.get(URL, {"q": "@mei", "type": "users"})) == [mei.pk]
    assert _ids(api.get(URL, {"q": "@", "type": "users"})) == []


def test_people_blocked_either_way_or_gone_never_match(api, me):
    shown = UserFactory(username="olive_a", display_name="Olive A")
    blocked = UserFactory(username="olive_b", display_name="Olive B")
    blocker = UserFactory(username="olive_c", display_name="Olive C")
    UserFactory(username="olive_d", display_name="Olive D", is_active=False)
    BlockFactory(blocker=me, blocked=blocked)
    BlockFactory(blocker=blocker, blocked=me)

    response = api.get(URL, {"q": "olive", "type": "users"})
    assert _ids(response) == [shown.pk]
    assert response.json()["results"][0]["following"] is False


def test_people_say_whether_i_follow_them_and_how_many_follow(api, me):
    ana = UserFactory(username="anabelle", display_name="Ana")
    FollowFactory(follower=me, followee=ana)
    item = api.get(URL, {"q": "anab", "type": "users"}).json()["results"][0]
    assert item["following"] is True
    assert item["followers_count"] == 1
    assert item["display_name"] == "Ana"


# --- Pages and errors -------------------------------------------------------------------------


def test_pages_follow_next_without_repeats(api):
    for number in range(PAGE_SIZE + 3):
        _post(f"pear {number}", ago_hours=number + 1)
    first = api.get(URL, {"q": "pear", "sort": "newest"}).json()
    second = api.get(first["next"]).json()

    assert len(first["results"]) == PAGE_SIZE
    assert len(second["results"]) == 3
    assert second["next"] is None
    seen = [item["id"] for item in first["results"] + second["results"]]
    assert len(set(seen)) == PAGE_SIZE + 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "mango", "type": "shops"}, "type"),
        ({"q": "mango", "sort": "random"}, "sort"),
        ({"q": "mango", "page": "0"}, "page"),
        ({"q": "mango", "page": str(MAX_PAGES + 1)}, "page"),
        ({"q": "mango", "page": "two"}, "page"),
    ],
)
def test_bad_input_is_a_400_in_the_error_shape(api, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] in {"invalid_search", "invalid"}
    assert error["message"]
    assert field in error["fields"]


def test_only_punctuation_finds_nothing_without_error(api):
    _post("mango")
    response = api.get(URL, {"q": "#!?"})
    assert response.status_code == 200
    assert response.json() == {"results": [], "next": None}


def test_sql_and_tsquery_syntax_in_the_query_is_only_text(api):
    post = _post("it's 100% mango & lime | (yes)")
    for query in ["100%", "mango & lime", "(yes)", "'", "mango:*", "!lime"]:
        response = api.get(URL, {"q": query})
        assert response.status_code == 200, query
    assert _ids(api.get(URL, {"q": "mango & lime"})) == [post.pk]


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, PAGE_SIZE])
def test_a_page_of_posts_costs_a_fixed_number_of_queries(
    api, me, count, django_assert_max_num_queries
):
    """The rows, then the cards' batch reads: the same for 2 cards as for a full page
    (3 after the viewer: the request's own user lookup is not counted with force_authenticate)."""
    for number in range(count):
        _post(f"melon {number} #melon", like_count=number)
    with django_assert_max_num_queries(3):
        response = api.get(URL, {"q": "melon"})
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("kind", ["products", "users"])
def test_a_page_of_products_or_people_is_one_query(api, me, kind, django_assert_num_queries):
    for number in range(5):
        _product(f"Quince {number}")
        UserFactory(username=f"quince{number}", display_name="Q")
    with django_assert_num_queries(1):
        response = api.get(URL, {"q": "quince", "type": kind})
    assert len(response.json()["results"]) == 5
