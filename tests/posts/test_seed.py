"""The demo posts seed step: about sixty believable posts with processed pictures, tags,
likes, saves, comments, every visibility and a couple of drafts; and nothing more the second
time."""

from __future__ import annotations

import pytest

from backend.accounts.seed import seed_people
from commerce.seed import seed_shop
from media.models import Media
from posts.models import Collection, Comment, Like, Post, ProductTag, Save
from posts.seed import seed_posts


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Post, Media, Like, Save, Comment, Collection, ProductTag)
    )


@pytest.mark.django_db
def test_seed_posts_fills_the_demo_and_adds_nothing_when_run_again():
    """After the people and shop steps, seed_posts makes ~60 posts whose pictures went through
    upload and processing (ready, 1080 px wide), with product tags, likes, comments, saves in
    named collections, all four visibilities and two drafts; a second run changes nothing."""
    seed_people(log=lambda line: None)
    seed_shop(log=lambda line: None)

    seed_posts(log=lambda line: None)

    posts = Post.objects.all()
    assert 55 <= posts.count() <= 65
    assert set(posts.values_list("visibility", flat=True)) == {
        "public",
        "followers",
        "friends",
        "close_friends",
    }
    assert posts.filter(status=Post.Status.DRAFT).count() == 2
    assert not Media.objects.exclude(status=Media.Status.READY).exists()
    assert set(Media.objects.values_list("width", flat=True)) == {1080}
    assert ProductTag.objects.values("post").distinct().count() >= 50
    assert Like.objects.count() > 60
    assert Comment.objects.count() > 20
    assert set(Collection.objects.values_list("name", flat=True)) == {"Summer fruit", "To bake"}
    assert Save.objects.filter(collection__isnull=False).count() >= 5
    before = _counts()

    seed_posts(log=lambda line: None)

    assert _counts() == before
