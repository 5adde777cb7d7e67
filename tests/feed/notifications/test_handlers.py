"""Each event makes its notification for the right person, once; never for one's own action,
about a blocked user, or of a kind the recipient turned off."""

from __future__ import annotations

import pytest

from backend.accounts import services as accounts
from backend.events.dispatcher import dispatch_event
from backend.events.models import Event, HandlerRun
from feed.models import Kind, Notification
from feed.notifications import selectors
from feed.notifications.services import notification_kind_set
from posts import services as posts
from tests.factories import BlockFactory
from tests.factories_commerce import ProductFactory
from tests.factories_posts import PostFactory

pytestmark = pytest.mark.django_db


def only(user) -> Notification:
    rows = list(Notification.objects.filter(recipient=user))
    assert len(rows) == 1, rows
    return rows[0]


def line(user) -> str:
    (group,) = selectors.group_page(user).groups
    return group.text


def test_a_follow_notifies_the_followee(people, deliver):
    """Bo following Ann gives Ann one `follow` notification from Bo, about her followers."""
    deliver(accounts.user_follow, follower=people.bo, followee=people.ann)

    row = only(people.ann)
    assert (row.kind, row.actor, row.target_type, row.target_id) == (
        Kind.FOLLOW,
        people.bo,
        "user",
        people.ann.pk,
    )
    assert line(people.ann) == "Bo followed you"
    assert not Notification.objects.filter(recipient=people.bo).exists()


def test_a_like_notifies_the_post_author(people, deliver):
    """A like notifies the post's author, about the post."""
    post = PostFactory(author=people.ann)

    deliver(posts.post_like, user=people.bo, post=post)

    row = only(people.ann)
    assert (row.kind, row.actor, row.target_type, row.target_id) == (
        Kind.LIKE,
        people.bo,
        "post",
        post.pk,
    )
    assert line(people.ann) == "Bo liked your post"


def test_a_comment_notifies_the_post_author_with_its_first_words(people, deliver):
    """A comment notifies the post's author and quotes its beginning."""
    post = PostFactory(author=people.ann)
    words = "These peaches are the best I have had all summer long, where did you buy them?"

    deliver(posts.comment_create, author=people.bo, post=post, text=words)

    row = only(people.ann)
    assert (row.kind, row.target_type, row.target_id) == (Kind.COMMENT, "post", post.pk)
    assert line(people.ann) == (
        "Bo commented: These peaches are the best I have had all summer long, where…"
    )


def test_a_mention_notifies_the_mentioned_user(people, deliver):
    """@cy in Bo's comment on Ann's post tells Cy (and Ann gets the comment)."""
    post = PostFactory(author=people.ann)

    deliver(posts.comment_create, author=people.bo, post=post, text="@cy look at this")

    row = only(people.cy)
    assert (row.kind, row.actor, row.target_type, row.target_id) == (
        Kind.MENTION,
        people.bo,
        "post",
        post.pk,
    )
    assert line(people.cy) == "Bo mentioned you"
    assert only(people.ann).kind == Kind.COMMENT


@pytest.mark.parametrize(
    ("event", "kind", "text"),
    [
        ("order.paid", Kind.ORDER_PAID, "Your order #12 is paid"),
        ("order.shipped", Kind.ORDER_SHIPPED, "Your order #12 has shipped"),
        ("order.delivered", Kind.ORDER_DELIVERED, "Your order #12 was delivered"),
    ],
)
def test_order_events_notify_the_buyer(people, emit, event, kind, text):
    """Paid, shipped and delivered each tell the buyer, about the order, with no actor."""
    emit(event, {"order": 12, "buyer": people.ann.pk})

    row = only(people.ann)
    assert (row.kind, row.actor, row.target_type, row.target_id) == (kind, None, "order", 12)
    assert line(people.ann) == text


@pytest.mark.parametrize(
    ("status", "text"),
    [
        ("approved", "Your refund for order #12 was approved (¥28.00)"),
        ("rejected", "Your refund for order #12 was declined"),
    ],
)
def test_a_refund_decision_notifies_the_buyer(people, emit, status, text):
    """The buyer hears of the shop's decision, with the amount coming back when approved."""
    emit(
        "refund.decided",
        {"refund": 3, "order": 12, "buyer": people.ann.pk, "status": status, "amount": 2800},
    )

    row = only(people.ann)
    assert (row.kind, row.target_type, row.target_id) == (Kind.REFUND_DECIDED, "order", 12)
    assert line(people.ann) == text


def test_a_commission_notifies_the_sharer_with_the_product(people, emit):
    """The sharer hears what they earned and from which product."""
    product = ProductFactory(name="Honey peaches")

    emit(
        "commission.accrued",
        {
            "commission": 5,
            "sharer": people.ann.pk,
            "amount": 280,
            "currency": "CNY",
            "order": 12,
            "product": product.pk,
        },
    )

    row = only(people.ann)
    assert (row.kind, row.target_type, row.target_id) == (Kind.COMMISSION_ACCRUED, "commission", 5)
    assert line(people.ann) == "You earned ¥2.80 from an order of Honey peaches"


def test_own_likes_and_comments_notify_nobody(people, deliver):
    """Liking or commenting on one's own post makes no notification."""
    post = PostFactory(author=people.ann)

    deliver(posts.post_like, user=people.ann, post=post)
    deliver(posts.comment_create, author=people.ann, post=post, text="Thanks all! @ann")

    assert not Notification.objects.exists()


def test_nothing_about_a_user_blocked_either_way(people, emit):
    """A like by someone the author blocked, or who blocked the author, notifies nobody."""
    post = PostFactory(author=people.ann)
    BlockFactory(blocker=people.ann, blocked=people.bo)
    BlockFactory(blocker=people.cy, blocked=people.ann)

    for actor in (people.bo, people.cy):
        emit("post.liked", {"actor": actor.pk, "target": post.pk, "post_author": people.ann.pk})

    assert not Notification.objects.exists()


def test_a_block_after_the_fact_hides_the_notification(people, deliver):
    """Notifications made before a block are no longer listed or counted."""
    post = PostFactory(author=people.ann)
    deliver(posts.post_like, user=people.bo, post=post)
    deliver(posts.post_like, user=people.cy, post=post)

    deliver(accounts.user_block, blocker=people.ann, blocked=people.bo)

    assert line(people.ann) == "Cy liked your post"
    assert selectors.unread_count(people.ann) == 1


def test_likes_on_one_post_make_one_line(people, deliver):
    """Four likes on a post read as one line naming the newest liker, three faces shown."""
    post = PostFactory(author=people.ann)
    for liker in (people.bo, people.cy, people.dee, people.eve):
        deliver(posts.post_like, user=liker, post=post)

    (group,) = selectors.group_page(people.ann).groups
    assert group.text == "Eve and 3 others liked your post"
    assert group.count == 4
    assert group.actors == [people.eve, people.dee, people.cy]
    assert Notification.objects.filter(recipient=people.ann).count() == 4


def test_two_people_are_both_named(people, deliver):
    """Two likes name both people."""
    post = PostFactory(author=people.ann)
    deliver(posts.post_like, user=people.bo, post=post)
    deliver(posts.post_like, user=people.cy, post=post)

    assert line(people.ann) == "Cy and Bo liked your post"


def test_likes_on_different_posts_are_separate_lines(people, deliver):
    """Each post has its own line, the newest first."""
    first, second = PostFactory(author=people.ann), PostFactory(author=people.ann)
    deliver(posts.post_like, user=people.bo, post=first)
    deliver(posts.post_like, user=people.cy, post=second)

    groups = selectors.group_page(people.ann).groups
    assert [group.target_id for group in groups] == [second.pk, first.pk]


def test_follows_of_one_day_make_one_line(people, deliver):
    """Follows on the same day group into one line."""
    deliver(accounts.user_follow, follower=people.bo, followee=people.ann)
    deliver(accounts.user_follow, follower=people.cy, followee=people.ann)

    assert line(people.ann) == "Cy and Bo followed you"


def test_orders_never_group(people, emit):
    """Each order event is a line of its own."""
    emit("order.paid", {"order": 12, "buyer": people.ann.pk})
    emit("order.paid", {"order": 13, "buyer": people.ann.pk})

    assert len(selectors.group_page(people.ann).groups) == 2


def test_a_kind_turned_off_is_not_made(people, deliver):
    """With likes turned off, a like makes nothing; comments still notify."""
    post = PostFactory(author=people.ann)
    notification_kind_set(user=people.ann, kind=Kind.LIKE, enabled=False)

    deliver(posts.post_like, user=people.bo, post=post)
    deliver(posts.comment_create, author=people.bo, post=post, text="Lovely")

    assert only(people.ann).kind == Kind.COMMENT


def test_a_kind_turned_back_on_notifies_again(people, deliver):
    """Turning a kind off and on again restores it."""
    post = PostFactory(author=people.ann)
    notification_kind_set(user=people.ann, kind=Kind.LIKE, enabled=False)
    notification_kind_set(user=people.ann, kind=Kind.LIKE, enabled=True)

    deliver(posts.post_like, user=people.bo, post=post)

    assert only(people.ann).kind == Kind.LIKE


def test_a_redelivered_event_notifies_once(people, deliver, pushed):
    """Running the handler again for the same event (a retry, the sweep) adds nothing."""
    post = PostFactory(author=people.ann)
    deliver(posts.post_like, user=people.bo, post=post)
    row = only(people.ann)
    HandlerRun.objects.filter(event_id=row.event_id).update(status=HandlerRun.Status.PENDING)
    Event.objects.filter(pk=row.event_id).update(delivered_at=None)
    before = len(pushed)

    deliver(dispatch_event, row.event_id)

    assert only(people.ann).pk == row.pk
    assert len(pushed) == before


def test_an_event_about_a_deleted_account_is_dropped(people, emit):
    """An event whose actor is gone by the time it is handled notifies nobody."""
    post = PostFactory(author=people.ann)
    people.bo.is_active = False
    people.bo.save()

    emit("post.liked", {"actor": people.bo.pk, "target": post.pk, "post_author": people.ann.pk})

    assert not Notification.objects.exists()
