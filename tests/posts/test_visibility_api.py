"""The visibility matrix on the API: every kind of post × everyone who might look.

Kinds: public, followers, friends, close_friends, draft, deleted, hidden (report upheld).
Viewers: stranger, follower, friend, close friend (who does not follow), author, a user the
author blocked, and someone not signed in. A post someone may not see is a 404 to them; the
routes that need a sign-in answer 401 to anonymous callers, the public one shows public posts.
"""

import pytest
from django.utils import timezone

from posts import services
from posts.models import Post
from tests.factories import BlockFactory

pytestmark = pytest.mark.django_db

VIEWERS = ["stranger", "follower", "friend", "close_friend", "author", "blocked", "anonymous"]
EVERYONE_BUT_BLOCKED = {"stranger", "follower", "friend", "close_friend", "author"}

# Who sees the post on its own route (the author also sees their drafts and hidden posts).
SEES_DETAIL = {
    "public": EVERYONE_BUT_BLOCKED,
    "followers": {"follower", "friend", "author"},
    "friends": {"friend", "author"},
    "close_friends": {"close_friend", "author"},
    "draft": {"author"},
    "deleted": set(),
    "hidden": {"author"},
}
# Who finds it in the author's post list (drafts live elsewhere).
SEES_IN_PROFILE = {**SEES_DETAIL, "draft": set()}
# Who may like it, and finds it under the product: live published posts only.
SEES_LIVE = {**SEES_DETAIL, "draft": set(), "hidden": set()}
KINDS = list(SEES_DETAIL)


@pytest.fixture
def post_of_kind(cast, publish, product):
    def make(kind: str) -> Post:
        fields = {"tags": [{"product_id": product.pk}]}
        if kind in ("public", "followers", "friends", "close_friends"):
            fields["visibility"] = kind
        if kind == "draft":
            fields["status"] = "draft"
        post = publish(cast.author, **fields)
        if kind == "deleted":
            services.post_delete(post=post, actor=cast.author)
        if kind == "hidden":
            Post.objects.filter(pk=post.pk).update(hidden_at=timezone.now())
        return post

    return make


def _answers(cast, client_for, request) -> dict[str, int]:
    """{viewer: what `request(client)` answered} for every viewer."""
    answers = {}
    for viewer in VIEWERS:
        user = None if viewer == "anonymous" else getattr(cast, viewer)
        answers[viewer] = request(client_for(user))
    return answers


def _expected(seers: set[str], *, yes, no, anonymous) -> dict:
    return {
        viewer: anonymous if viewer == "anonymous" else (yes if viewer in seers else no)
        for viewer in VIEWERS
    }


@pytest.mark.parametrize("kind", KINDS)
def test_post_detail(cast, client_for, post_of_kind, kind):
    """GET posts/{id}: 200 for those who may see it, 404 for the others, 401 signed out."""
    post = post_of_kind(kind)
    answers = _answers(cast, client_for, lambda c: c.get(f"/api/v1/posts/{post.pk}").status_code)
    assert answers == _expected(SEES_DETAIL[kind], yes=200, no=404, anonymous=401)


@pytest.mark.parametrize("kind", KINDS)
def test_post_comments(cast, client_for, post_of_kind, kind):
    """GET posts/{id}/comments follows the post's own visibility."""
    post = post_of_kind(kind)
    answers = _answers(
        cast, client_for, lambda c: c.get(f"/api/v1/posts/{post.pk}/comments").status_code
    )
    assert answers == _expected(SEES_DETAIL[kind], yes=200, no=404, anonymous=401)


@pytest.mark.parametrize("kind", KINDS)
def test_like(cast, client_for, post_of_kind, kind):
    """POST posts/{id}/like: 204 on live posts one may see, 404 otherwise."""
    post = post_of_kind(kind)
    answers = _answers(
        cast, client_for, lambda c: c.post(f"/api/v1/posts/{post.pk}/like").status_code
    )
    assert answers == _expected(SEES_LIVE[kind], yes=204, no=404, anonymous=401)


@pytest.mark.parametrize("kind", KINDS)
def test_user_posts(cast, client_for, post_of_kind, kind):
    """GET users/{username}/posts lists the post to those who may see it; a blocked user gets
    404 for the whole profile."""
    post = post_of_kind(kind)

    def listed(client):
        response = client.get("/api/v1/users/author/posts")
        if response.status_code != 200:
            return response.status_code
        return post.pk in [item["id"] for item in response.json()["results"]]

    answers = _answers(cast, client_for, listed)
    expected = _expected(SEES_IN_PROFILE[kind], yes=True, no=False, anonymous=401)
    assert answers == {**expected, "blocked": 404}


@pytest.mark.parametrize("kind", KINDS)
def test_product_posts(cast, client_for, post_of_kind, product, kind):
    """GET products/{id}/posts (public) lists live posts the viewer may see; signed out, public
    ones only."""
    post = post_of_kind(kind)

    def listed(client):
        response = client.get(f"/api/v1/products/{product.pk}/posts")
        assert response.status_code == 200
        return post.pk in [item["id"] for item in response.json()["results"]]

    answers = _answers(cast, client_for, listed)
    assert answers == _expected(SEES_LIVE[kind], yes=True, no=False, anonymous=kind == "public")


def test_block_by_the_viewer_hides_too(cast, client_for, publish):
    """A block the viewer made (not only one they received) hides the author's posts."""
    post = publish(cast.author)
    BlockFactory(blocker=cast.stranger, blocked=cast.author)
    assert client_for(cast.stranger).get(f"/api/v1/posts/{post.pk}").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_media_detail(cast, client_for, post_of_kind, kind):
    """GET media/{id} of a post's picture: the uploader always, others when they may see the
    live post (posts' viewer rule), 404 otherwise, 401 signed out."""
    post = post_of_kind(kind)
    media_id = post.media_items.get().media_id
    answers = _answers(cast, client_for, lambda c: c.get(f"/api/v1/media/{media_id}").status_code)
    seers = SEES_LIVE[kind] | {"author"}
    assert answers == _expected(seers, yes=200, no=404, anonymous=401)
