"""What one does on a post's page without leaving it: like, save (into a collection), comment,
delete a comment, report. htmx posts get the changed partial; plain posts a redirect back."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from posts.models import Collection, Comment, Like, Post, Report, Save
from posts.services import comment_create

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_htmx_like_answers_the_action_bar_pressed_and_counted(cast, publish):
    """An htmx like stores one like and answers the action bar with the heart pressed and the
    new count."""
    post = publish(cast.author)

    response = _client(cast.friend).post(reverse("posts:like", args=[post.pk]), **HTMX)

    assert response.status_code == 200
    assert b'id="post-actions"' in response.content
    assert b'aria-pressed="true"' in response.content
    assert b"data-like-count>1<" in response.content
    assert Like.objects.filter(user=cast.friend, post=post).count() == 1


@pytest.mark.django_db
def test_htmx_unlike_takes_the_like_back(cast, publish):
    """Posting `undo` (what the pressed heart sends) removes the like; the count goes back."""
    post = publish(cast.author)
    client = _client(cast.friend)
    client.post(reverse("posts:like", args=[post.pk]), **HTMX)

    response = client.post(reverse("posts:like", args=[post.pk]), {"undo": "1"}, **HTMX)

    assert b'aria-pressed="false"' in response.content
    assert not Like.objects.filter(post=post).exists()
    assert Post.objects.get(pk=post.pk).like_count == 0


@pytest.mark.django_db
def test_plain_like_without_javascript_redirects_back(cast, publish):
    """Without htmx the like form still works and lands back on the post."""
    post = publish(cast.author)

    response = _client(cast.friend).post(reverse("posts:like", args=[post.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("posts:detail", args=[post.pk])
    assert Like.objects.filter(post=post).count() == 1


@pytest.mark.django_db
def test_anonymous_like_is_sent_to_sign_in(publish, cast):
    """A visitor who taps like is sent to sign in (HX-Redirect for htmx) and nothing is
    stored."""
    post = publish(cast.author)

    response = Client().post(reverse("posts:like", args=[post.pk]), **HTMX)

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:signin"))
    assert not Like.objects.exists()


@pytest.mark.django_db
def test_blocked_user_cannot_like(cast, publish):
    """Someone the author blocked gets the 404 page for a like, as for the post."""
    post = publish(cast.author)

    response = _client(cast.blocked).post(reverse("posts:like", args=[post.pk]), **HTMX)

    assert response.status_code == 404
    assert not Like.objects.exists()


@pytest.mark.django_db
def test_save_into_a_new_collection(cast, publish):
    """Saving with a new collection name creates the collection and files the save in it;
    the bookmark answers pressed."""
    post = publish(cast.author)

    response = _client(cast.friend).post(
        reverse("posts:save", args=[post.pk]), {"new_collection": "To bake"}, **HTMX
    )

    assert b'aria-pressed="true"' in response.content
    save = Save.objects.get(user=cast.friend, post=post)
    assert save.collection == Collection.objects.get(owner=cast.friend, name="To bake")
    assert Post.objects.get(pk=post.pk).save_count == 1


@pytest.mark.django_db
def test_save_sheet_lists_the_users_collections(cast, publish):
    """The save sheet offers the viewer's existing collections by name."""
    post = publish(cast.author)
    Collection.objects.create(owner=cast.friend, name="Summer fruit")

    response = _client(cast.friend).get(reverse("posts:detail", args=[post.pk]))

    assert b'value="Summer fruit"' in response.content


@pytest.mark.django_db
def test_unsave(cast, publish):
    """The pressed bookmark posts `undo`: the save is gone."""
    post = publish(cast.author)
    client = _client(cast.friend)
    client.post(reverse("posts:save", args=[post.pk]), **HTMX)

    response = client.post(reverse("posts:save", args=[post.pk]), {"undo": "1"}, **HTMX)

    assert response.status_code == 200
    assert not Save.objects.filter(post=post).exists()


@pytest.mark.django_db
def test_htmx_comment_answers_the_comments_and_the_count(cast, publish):
    """A comment posted with htmx comes back in the comments section, and the action bar's
    count is swapped out of band."""
    post = publish(cast.author)

    response = _client(cast.friend).post(
        reverse("posts:comments", args=[post.pk]), {"text": "Where is this? #mango"}, **HTMX
    )

    assert response.status_code == 200
    assert b'id="comments"' in response.content
    assert b"Where is this?" in response.content
    assert b'hx-swap-oob="true"' in response.content
    assert b"data-comment-count>1<" in response.content
    assert Comment.objects.filter(post=post, author=cast.friend).count() == 1


@pytest.mark.django_db
def test_empty_comment_is_refused_with_the_services_message(cast, publish):
    """An empty comment stores nothing and answers 400 in the API's error shape, whose message
    the shell shows as a toast."""
    post = publish(cast.author)

    response = _client(cast.friend).post(
        reverse("posts:comments", args=[post.pk]), {"text": "  "}, **HTMX
    )

    assert response.status_code == 400
    assert response.json()["error"]["message"]
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_post_author_deletes_someone_elses_comment(cast, publish):
    """The post's author may delete any comment on it; it leaves the list."""
    post = publish(cast.author)
    comment = comment_create(author=cast.friend, post=post, text="Lovely")

    response = _client(cast.author).post(
        reverse("posts:comment_delete", args=[post.pk, comment.pk]), **HTMX
    )

    assert response.status_code == 200
    assert b"Lovely" not in response.content
    assert Comment.objects.get(pk=comment.pk).deleted_at is not None


@pytest.mark.django_db
def test_stranger_cannot_delete_a_comment(cast, publish):
    """Someone who wrote neither the comment nor the post cannot delete it."""
    post = publish(cast.author)
    comment = comment_create(author=cast.friend, post=post, text="Lovely")

    response = _client(cast.stranger).post(
        reverse("posts:comment_delete", args=[post.pk, comment.pk]), **HTMX
    )

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).deleted_at is None


@pytest.mark.django_db
def test_delete_button_shows_only_for_who_may_delete(cast, publish):
    """The comment's author sees a delete button on their comment; a bystander does not."""
    post = publish(cast.author)
    comment_create(author=cast.friend, post=post, text="Lovely")
    url = reverse("posts:detail", args=[post.pk])

    mine = _client(cast.friend).get(url)
    theirs = _client(cast.stranger).get(url)

    assert b"Delete comment" in mine.content
    assert b"Delete comment" not in theirs.content


@pytest.mark.django_db
def test_report(cast, publish):
    """A report with a reason is stored and thanked for."""
    post = publish(cast.author)

    response = _client(cast.stranger).post(
        reverse("posts:report", args=[post.pk]), {"reason": "spam", "note": "bot"}, **HTMX
    )

    assert b"Thanks for telling us" in response.content
    report = Report.objects.get(post=post)
    assert (report.reporter, report.reason, report.note) == (cast.stranger, "spam", "bot")
