"""A new notification is pushed to its recipient only, after commit; reading them pushes the
new unread count."""

from __future__ import annotations

import pytest

from backend.realtime.consumers import user_group
from feed.models import Notification
from feed.notifications import selectors, services
from posts import services as posts
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db


def test_a_new_notification_is_pushed_to_its_recipient_only(people, deliver, pushed):
    """Ann's sockets get the message with the text, her unread count and the API item."""
    post = PostFactory(author=people.ann)

    deliver(posts.post_like, user=people.bo, post=post)

    assert [group for group, _ in pushed] == [user_group(people.ann.pk)]
    message = pushed[0][1]
    assert message["type"] == "notification"
    assert message["message"] == "Bo liked your post"
    assert message["unread"] == 1
    item = message["notification"]
    assert item["kind"] == "like"
    assert item["actor"]["username"] == "bo"
    assert item["target"] == {"type": "post", "id": post.pk, "url": f"/p/{post.pk}/"}
    assert item["read"] is False


def test_the_push_carries_the_whole_group(people, deliver, pushed):
    """The second like's push reads as the grouped line and counts both rows unread."""
    post = PostFactory(author=people.ann)
    deliver(posts.post_like, user=people.bo, post=post)

    deliver(posts.post_like, user=people.cy, post=post)

    message = pushed[-1][1]
    assert message["message"] == "Cy and Bo liked your post"
    assert message["unread"] == 2
    assert message["notification"]["count"] == 2


def test_nothing_is_pushed_when_nothing_is_made(people, deliver, pushed):
    """One's own like is neither stored nor pushed."""
    post = PostFactory(author=people.ann)

    deliver(posts.post_like, user=people.ann, post=post)

    assert pushed == []


def test_marking_all_read_pushes_zero(people, deliver, pushed):
    """Reading everything leaves no unread row and tells every tab the count is 0."""
    post = PostFactory(author=people.ann)
    deliver(posts.post_like, user=people.bo, post=post)
    deliver(posts.comment_create, author=people.cy, post=post, text="Yum")

    changed = deliver(services.notifications_mark_read, user=people.ann)

    assert changed == 2
    assert selectors.unread_count(people.ann) == 0
    assert pushed[-1] == (user_group(people.ann.pk), {"type": "unread", "count": 0})


def test_marking_groups_read_marks_only_those(people, deliver):
    """Marking a group read by its id marks all its rows, and nothing else."""
    post = PostFactory(author=people.ann)
    deliver(posts.post_like, user=people.bo, post=post)
    deliver(posts.post_like, user=people.cy, post=post)
    deliver(posts.comment_create, author=people.dee, post=post, text="Yum")
    likes = next(g for g in selectors.group_page(people.ann).groups if g.kind == "like")

    deliver(services.notifications_mark_read, user=people.ann, group_ids=[likes.id])

    unread = Notification.objects.filter(recipient=people.ann, read_at__isnull=True)
    assert list(unread.values_list("kind", flat=True)) == ["comment"]


def test_nobody_marks_another_users_notifications_read(people, deliver, pushed):
    """Ids of someone else's groups change nothing and push nothing."""
    post = PostFactory(author=people.ann)
    deliver(posts.post_like, user=people.bo, post=post)
    theirs = selectors.group_page(people.ann).groups[0]
    before = len(pushed)

    changed = deliver(services.notifications_mark_read, user=people.bo, group_ids=[theirs.id])

    assert changed == 0
    assert selectors.unread_count(people.ann) == 1
    assert len(pushed) == before
