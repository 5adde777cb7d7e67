"""What search does differently per database: PostgreSQL forgives typos in names, searches words
through its full-text index (and CJK by substring, which its parser cannot cut), and the indexes
the migrations made are the ones its plans use; SQLite matches names by prefix only.

The relevance, visibility and sort tests of test_search_api.py run on both databases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from backend.accounts.selectors.search import search_users
from commerce.catalog.selectors import search_products
from commerce.models import Product
from posts.models import Post
from posts.selectors import search_posts
from tests.factories import UserFactory
from tests.factories_commerce import ProductFactory, SKUFactory
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/search"


def _user_ids(query: str) -> list[int]:
    response = APIClient().get(URL, {"q": query, "type": "users"})
    assert response.status_code == 200
    return [item["id"] for item in response.json()["results"]]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows would be read sequentially whatever the indexes: ask for the plan
        # the planner picks when tables are large.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.services("postgres")
def test_a_typo_in_a_username_still_finds_them_on_postgres():
    mei = UserFactory(username="mei_bakes", display_name="Mei")
    UserFactory(username="tom_grills", display_name="Tom")

    assert _user_ids("mie_bakes") == [mei.pk]
    assert _user_ids("mei bakes") == [mei.pk]


@pytest.mark.services("postgres")
def test_a_typo_in_a_display_name_still_finds_them_on_postgres():
    ana = UserFactory(username="a1", display_name="Anastasia Fruitstand")
    assert _user_ids("anastasya") == [ana.pk]


@pytest.mark.services("postgres")
def test_the_closest_name_ranks_first_on_postgres():
    close = UserFactory(username="mei_bakes", display_name="M")
    far = UserFactory(username="mei_bakes_and_grills_daily", display_name="G")
    assert _user_ids("mei_bakes") == [close.pk, far.pk]


@pytest.mark.services("postgres")
def test_cjk_terms_match_inside_words_the_parser_keeps_whole():
    """PostgreSQL's "simple" parser keeps 好吃的芒果 as one word, so full-text search alone
    would miss 芒果 in it: the substring fallback finds it."""
    post = PostFactory(text="好吃的芒果布丁")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', '芒果')", [post.text]
        )
        assert cursor.fetchone()[0] is False

    assert list(search_posts(None, "芒果")) == [post]


@pytest.mark.services("postgres")
def test_mixed_latin_and_cjk_terms_both_apply():
    both = PostFactory(text="Mango 芒果 pudding")
    PostFactory(text="Mango pudding")
    PostFactory(text="芒果 only")
    assert list(search_posts(None, "mango 芒果")) == [both]


@pytest.mark.services("postgres")
def test_post_word_search_uses_the_full_text_index():
    author = UserFactory()
    Post.objects.bulk_create(
        Post(author=author, text=f"plain words {n}", published_at=timezone.now())
        for n in range(2000)
    )
    PostFactory(text="mango")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE posts_post")
    plan = _plan(search_posts(None, "mango"))
    assert "post_text_search_idx" in plan


@pytest.mark.services("postgres")
def test_people_search_uses_the_trigram_indexes():
    plan = _plan(search_users(None, "mie_bakes"))
    assert "user_username_trgm_idx" in plan
    assert "user_display_name_trgm_idx" in plan


def test_names_match_by_prefix_and_only_postgres_forgives_typos():
    mei = UserFactory(username="mei_bakes", display_name="Mei")
    assert _user_ids("mei_b") == [mei.pk]
    # SQLite matches by prefix only; PostgreSQL's trigrams find the name despite the typo.
    assert _user_ids("mie_bakes") == ([mei.pk] if connection.vendor == "postgresql" else [])


def _product_names(query: str) -> list[str]:
    response = APIClient().get(URL, {"q": query, "type": "products"})
    assert response.status_code == 200
    return [item["name"] for item in response.json()["results"]]


@pytest.mark.services("postgres")
def test_product_words_match_by_prefix_through_the_full_text_index():
    for name in ("Tainong mangoes", "Mango jam", "Dragon fruit", "Hokkaido milk bread"):
        SKUFactory(product=ProductFactory(name=name, description="Fresh from the farm"))
    ProductFactory(name="芒果干", description="Dried 芒果 slices")

    assert _product_names("mang") == ["Mango jam", "Tainong mangoes"]
    assert _product_names("farm milk") == ["Hokkaido milk bread"]
    assert _product_names("芒果") == []  # no SKU: not for sale
    shop = ProductFactory()
    Product.objects.bulk_create(
        Product(merchant=shop.merchant, category=shop.category, name=f"Plain box {n}")
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE commerce_product")
    assert "product_text_search_idx" in _plan(search_products(["mango"]))
