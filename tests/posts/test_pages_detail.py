"""What the post page shows: pictures with their tags, the shop-links disclosure, linked
hashtags and mentions, placeholders while processing (polled), and the owner's grids."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from media.access import media_changed
from media.models import Media
from posts.models import Collection
from posts.services import post_save, post_update
from tests.factories_commerce import SKUFactory
from tests.factories_posts import MediaFactory, PostFactory, PostMediaFactory


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
def test_post_page_links_hashtags_and_mentions_and_escapes_the_rest(cast, publish):
    """#tags and @mentions become links (mentions to the profile); the rest of the text is
    escaped, never HTML."""
    post = publish(cast.author, text="Mango #芒果 with @friend <b>yum</b>")

    content = _client().get(reverse("posts:detail", args=[post.pk])).content.decode()

    assert 'class="hashtag"' in content
    assert "#芒果" in content
    assert (
        f'<a class="mention" href="{reverse("accounts:profile", args=["friend"])}">@friend</a>'
        in content
    )
    assert "&lt;b&gt;yum&lt;/b&gt;" in content


@pytest.mark.django_db
def test_tagged_post_has_a_tag_dot_with_a_product_card_and_the_disclosure(cast, publish, product):
    """A tag placed on a picture is a dot at x,y that opens a card linking to the product page;
    the post says it contains shop links."""
    post = publish(cast.author)
    media_id = post.media_items.get().media_id
    post_update(
        post=post,
        actor=cast.author,
        tags=[{"product_id": product.pk, "media_id": media_id, "x": 0.25, "y": 0.75}],
    )

    content = _client().get(reverse("posts:detail", args=[post.pk])).content.decode()

    assert "left: 25.00%; top: 75.00%" in content
    assert reverse("commerce:product_detail", args=[product.pk]) in content
    assert "¥12.50" in content
    assert "Contains shop links" in content


@pytest.mark.django_db
def test_untagged_post_has_no_disclosure(cast, publish):
    """No tags, no "contains shop links" line."""
    post = publish(cast.author)

    content = _client().get(reverse("posts:detail", args=[post.pk])).content

    assert b"Contains shop links" not in content


@pytest.mark.django_db
def test_processing_picture_shows_its_placeholder_and_is_polled(cast, publish):
    """While a picture is processing the page shows its placeholder colour and asks for the
    carousel again; once it is ready the polling stops."""
    post = publish(cast.author)
    media = Media.objects.get(pk=post.media_items.get().media_id)
    Media.objects.filter(pk=media.pk).update(status=Media.Status.PROCESSING, placeholder="#ffaa00")
    media_changed([media.pk])
    media_url = reverse("posts:media", args=[post.pk])

    page = _client().get(reverse("posts:detail", args=[post.pk])).content.decode()

    assert "background-color:#ffaa00" in page
    assert f'hx-get="{media_url}"' in page

    Media.objects.filter(pk=media.pk).update(status=Media.Status.READY)
    media_changed([media.pk])
    fragment = _client().get(media_url).content.decode()
    assert "hx-get" not in fragment
    assert "<img" in fragment


@pytest.mark.django_db
def test_profile_page_has_the_posts_slot(cast):
    """The profile page loads the user's post grid into its slot with htmx."""
    response = _client().get(reverse("accounts:profile", args=[cast.author.username]))

    grid = reverse("posts:profile_grid", args=[cast.author.username])
    assert f'hx-get="{grid}"'.encode() in response.content


@pytest.mark.django_db
def test_owner_gets_saved_collections_and_drafts_tabs_others_do_not(cast, publish):
    """Only the owner's grid has the Saved, Collections and Drafts tabs."""
    publish(cast.author)
    url = reverse("posts:profile_grid", args=[cast.author.username])

    own = _client(cast.author).get(url).content
    other = _client(cast.friend).get(url).content

    for tab in (reverse("posts:saved"), reverse("posts:drafts")):
        assert tab.encode() in own
        assert tab.encode() not in other


@pytest.mark.django_db
def test_drafts_tab_lists_the_owners_drafts(cast, publish):
    """The drafts tab shows the owner's drafts."""
    draft = publish(cast.author, status="draft", text="Half written")

    content = _client(cast.author).get(reverse("posts:drafts")).content

    assert f'data-post-card="{draft.pk}"'.encode() in content
    assert b"Draft" in content


@pytest.mark.django_db
def test_saved_collection_lists_its_posts(cast, publish):
    """A collection's page holds the posts saved into it and not the others saved."""
    kept, other = publish(cast.author), publish(cast.author)
    post_save(user=cast.friend, post=kept, collection="To bake")
    post_save(user=cast.friend, post=other)
    collection = Collection.objects.get(owner=cast.friend, name="To bake")
    client = _client(cast.friend)

    listed = client.get(reverse("posts:saved") + "?view=collections").content
    inside = client.get(reverse("posts:collection", args=[collection.pk])).content

    assert b"To bake" in listed
    assert f'data-post-card="{kept.pk}"'.encode() in inside
    assert f'data-post-card="{other.pk}"'.encode() not in inside


@pytest.mark.django_db
def test_someone_elses_collection_is_a_404(cast, publish):
    """A collection id of another user's is not found."""
    collection = Collection.objects.create(owner=cast.author, name="Mine")

    response = _client(cast.friend).get(reverse("posts:collection", args=[collection.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_grid_loads_more_page_by_page(cast):
    """The grid shows 12 cards and a "load more" for the next page, which answers only its
    cards (no tabs again) and no further button at the end."""
    for _ in range(14):
        PostMediaFactory(
            post=PostFactory(author=cast.author), media=MediaFactory(owner=cast.author)
        )
    url = reverse("posts:profile_grid", args=[cast.author.username])

    client = _client(cast.author)
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()

    assert first.count("data-post-card=") == 12
    assert "posts-tabs" in first
    assert f'hx-get="{url}?page=2"' in first
    assert second.count("data-post-card=") == 2
    assert "posts-tabs" not in second
    assert "Load more" not in second


@pytest.mark.django_db
def test_product_card_says_when_the_product_is_sold_out(cast, publish):
    """The tag's product card tells availability: a product with no stock left is "Sold out"."""
    product = SKUFactory(on_hand=0).product
    post = publish(cast.author, tags=[{"product_id": product.pk}])

    content = _client().get(reverse("posts:detail", args=[post.pk])).content

    assert b"Sold out" in content
    assert b"In stock" not in content


@pytest.mark.django_db
def test_video_post_plays_in_a_player_with_its_poster(cast):
    """A video post shows a player whose poster is the video's poster frame."""
    video = MediaFactory(
        owner=cast.author,
        kind=Media.Kind.VIDEO,
        content_type="video/mp4",
        variants={"poster": "m/9/k/poster.webp", "video": "m/9/k/video.mp4"},
    )
    post = PostMediaFactory(post=PostFactory(author=cast.author), media=video).post

    content = _client().get(reverse("posts:detail", args=[post.pk])).content.decode()

    player = content[content.index("<video") : content.index("</video>")]
    assert "poster=" in player
    assert "poster.webp" in player
    assert "video.mp4" in player
