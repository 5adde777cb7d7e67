"""The posts API's shapes, status codes and error bodies (API.md "Posts" and extensions)."""

import pytest

from posts.models import Post
from tests.factories import BlockFactory
from tests.factories_posts import MediaFactory

pytestmark = pytest.mark.django_db


def test_create_answers_201_with_the_post_shape(cast, client_for, product):
    """POST posts creates the post and answers the contract's post object, tags with money as
    "12.50" + currency and absolute URLs."""
    first, second = MediaFactory(owner=cast.author), MediaFactory(owner=cast.author)
    body = {
        "text": "Sweet #芒果 from @friend",
        "media_ids": [second.pk, first.pk],
        "alt_texts": ["Two mangoes"],
        "visibility": "followers",
        "status": "published",
        "location": "Guangzhou",
        "tags": [{"product_id": product.pk, "media_id": second.pk, "x": 0.25, "y": 0.75}],
    }
    response = client_for(cast.author).post("/api/v1/posts", body, format="json")
    assert response.status_code == 201, response.json()
    post = response.json()
    assert post["author"] == {
        "id": cast.author.pk,
        "username": "author",
        "display_name": cast.author.display_name,
        "avatar": None,
    }
    assert post["hashtags"] == ["芒果"]
    assert [(m["id"], m["alt_text"], m["position"]) for m in post["media"]] == [
        (second.pk, "Two mangoes", 0),
        (first.pk, "", 1),
    ]
    tag = post["tags"][0]
    assert tag["product"]["price"] == "12.50"
    assert tag["product"]["currency"] == "CNY"
    assert tag["product"]["available"] is True
    assert tag["product"]["url"] == f"http://testserver/products/{product.pk}/"
    assert (tag["media_id"], tag["x"], tag["y"]) == (second.pk, 0.25, 0.75)
    assert post["media"][0]["variants"]["320"].startswith("http://testserver/")
    assert {key: post[key] for key in ("visibility", "status", "location", "like_count")} == {
        "visibility": "followers",
        "status": "published",
        "location": "Guangzhou",
        "like_count": 0,
    }
    assert (post["liked"], post["saved"], post["is_author"], post["contains_shop_links"]) == (
        False,
        False,
        True,
        True,
    )


def test_create_refusals_use_the_error_shape(cast, client_for, product):
    """Bad tags answer 400 invalid_tag with fields pointing at the tag's index; a post with
    nothing in it answers 400 invalid_post; wrong types answer 400 too, never 500."""
    client = client_for(cast.author)
    media = MediaFactory(owner=cast.author)
    bad_tag = client.post(
        "/api/v1/posts",
        {"media_ids": [media.pk], "tags": [{"product_id": product.pk, "x": 2, "y": 0.5}]},
        format="json",
    )
    assert bad_tag.status_code == 400
    assert bad_tag.json()["error"]["code"] == "invalid_tag"
    assert set(bad_tag.json()["error"]["fields"]["tags"]["0"]) == {"x", "media_id"}
    empty = client.post("/api/v1/posts", {"text": "  "}, format="json")
    assert empty.json()["error"]["code"] == "invalid_post"
    wrong = client.post("/api/v1/posts", {"media_ids": "all", "tags": "x"}, format="json")
    assert wrong.status_code == 400


def test_patch_by_author_publishes_a_draft_and_others_are_refused(cast, client_for, publish):
    """PATCH posts/{id}: the author edits (200, new text and status); someone who sees the
    post gets 403 not_author, someone who does not gets 404."""
    post = publish(cast.author, status="draft", visibility="followers")
    response = client_for(cast.author).patch(
        f"/api/v1/posts/{post.pk}", {"text": "Ripe now #peach", "status": "published"}
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["hashtags"]) == ("published", ["peach"])
    assert response.json()["published_at"] is not None
    by_follower = client_for(cast.follower).patch(f"/api/v1/posts/{post.pk}", {"text": "x"})
    assert (by_follower.status_code, by_follower.json()["error"]["code"]) == (403, "not_author")
    assert client_for(cast.stranger).patch(f"/api/v1/posts/{post.pk}", {}).status_code == 404
    back = client_for(cast.author).patch(f"/api/v1/posts/{post.pk}", {"status": "draft"})
    assert (back.status_code, back.json()["error"]["code"]) == (409, "already_published")


def test_delete_is_204_then_404(cast, client_for, publish):
    """DELETE posts/{id} by the author answers 204; the post is gone after (404)."""
    post = publish(cast.author)
    client = client_for(cast.author)
    assert client.delete(f"/api/v1/posts/{post.pk}").status_code == 204
    assert client.get(f"/api/v1/posts/{post.pk}").status_code == 404
    assert client.delete(f"/api/v1/posts/{post.pk}").status_code == 404


def test_like_and_save_are_idempotent_204s_reflected_in_the_post(cast, client_for, publish):
    """POST/DELETE like and save answer 204 however often; the post shows liked/saved and the
    counts."""
    post = publish(cast.author)
    client = client_for(cast.stranger)
    for _ in range(2):
        assert client.post(f"/api/v1/posts/{post.pk}/like").status_code == 204
        assert (
            client.post(f"/api/v1/posts/{post.pk}/save", {"collection": "Fruit"}).status_code == 204
        )
    shown = client.get(f"/api/v1/posts/{post.pk}").json()
    assert (shown["liked"], shown["saved"], shown["like_count"], shown["save_count"]) == (
        True,
        True,
        1,
        1,
    )
    for _ in range(2):
        assert client.delete(f"/api/v1/posts/{post.pk}/like").status_code == 204
        assert client.delete(f"/api/v1/posts/{post.pk}/save").status_code == 204
    assert Post.objects.values_list("like_count", "save_count").get(pk=post.pk) == (0, 0)


def test_comments_list_oldest_first_and_hide_blocked_commenters(cast, client_for, publish):
    """GET comments lists live comments oldest first; comments by someone the viewer blocked
    are left out; POST answers 201 with the comment; DELETE by a bystander is 403."""
    post = publish(cast.author)
    first = client_for(cast.stranger).post(f"/api/v1/posts/{post.pk}/comments", {"text": "one"})
    assert first.status_code == 201
    assert set(first.json()) == {"id", "author", "text", "created_at", "can_delete"}
    client_for(cast.follower).post(f"/api/v1/posts/{post.pk}/comments", {"text": "two"})
    BlockFactory(blocker=cast.friend, blocked=cast.stranger)
    listed = client_for(cast.friend).get(f"/api/v1/posts/{post.pk}/comments").json()
    assert [c["text"] for c in listed["results"]] == ["two"]
    everyone = client_for(cast.author).get(f"/api/v1/posts/{post.pk}/comments").json()
    assert [c["text"] for c in everyone["results"]] == ["one", "two"]
    assert all(c["can_delete"] for c in everyone["results"])
    comment_url = f"/api/v1/posts/{post.pk}/comments/{first.json()['id']}"
    refused = client_for(cast.follower).delete(comment_url)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_comment_author")
    assert client_for(cast.author).delete(comment_url).status_code == 204
    assert client_for(cast.author).delete(comment_url).status_code == 404


def test_report_is_201_then_200(cast, client_for, publish):
    """POST posts/{id}/report answers 201 the first time and 200 with the same report after;
    an unknown reason is a 400."""
    post = publish(cast.author)
    client = client_for(cast.stranger)
    first = client.post(f"/api/v1/posts/{post.pk}/report", {"reason": "spam"})
    again = client.post(f"/api/v1/posts/{post.pk}/report", {"reason": "spam", "note": "!"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert client.post(f"/api/v1/posts/{post.pk}/report", {"reason": "meh"}).status_code == 400


def test_saved_collections_and_drafts(cast, client_for, publish):
    """me/collections creates and lists collections with counts (409 on a taken name),
    me/saved lists saves newest first and filters by collection, me/drafts lists drafts."""
    first, second = publish(cast.author), publish(cast.author)
    draft = publish(cast.stranger, status="draft")
    client = client_for(cast.stranger)
    made = client.post("/api/v1/me/collections", {"name": "Bake"})
    assert made.status_code == 201
    assert client.post("/api/v1/me/collections", {"name": "Bake"}).status_code == 409
    client.post(f"/api/v1/posts/{first.pk}/save", {"collection": "Bake"})
    client.post(f"/api/v1/posts/{second.pk}/save")
    saved = client.get("/api/v1/me/saved").json()["results"]
    assert [item["id"] for item in saved] == [second.pk, first.pk]
    in_bake = client.get(f"/api/v1/me/saved?collection={made.json()['id']}").json()["results"]
    assert [item["id"] for item in in_bake] == [first.pk]
    assert client.get("/api/v1/me/saved?collection=999999").status_code == 404
    collections = client.get("/api/v1/me/collections").json()
    assert [(c["name"], c["post_count"]) for c in collections] == [("Bake", 1)]
    drafts = client.get("/api/v1/me/drafts").json()["results"]
    assert [item["id"] for item in drafts] == [draft.pk]


def test_user_posts_are_newest_first_and_paginated(cast, client_for, publish):
    """GET users/{username}/posts pages newest first with a `next` link."""
    posts = [publish(cast.author) for _ in range(3)]
    client = client_for(cast.stranger)
    page = client.get("/api/v1/users/author/posts?page_size=2").json()
    assert [item["id"] for item in page["results"]] == [posts[2].pk, posts[1].pk]
    assert page["next"]
    rest = client.get(page["next"]).json()
    assert [item["id"] for item in rest["results"]] == [posts[0].pk]
    assert client.get("/api/v1/users/nobody/posts").status_code == 404


def test_product_posts_most_engaging_first(cast, client_for, publish, product):
    """GET products/{id}/posts ranks by likes + 3·saves + 2·comments, then newest; an unknown
    product is a 404."""
    tag = [{"product_id": product.pk}]
    liked_twice, saved_once, plain = (publish(cast.author, tags=tag) for _ in range(3))
    Post.objects.filter(pk=liked_twice.pk).update(like_count=2)
    Post.objects.filter(pk=saved_once.pk).update(save_count=1)
    listed = client_for(None).get(f"/api/v1/products/{product.pk}/posts").json()["results"]
    assert [item["id"] for item in listed] == [saved_once.pk, liked_twice.pk, plain.pk]
    assert client_for(None).get("/api/v1/products/999999/posts").status_code == 404
