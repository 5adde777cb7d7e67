""" "Friends who bought this" on a product page: the viewer's friends (mutual follows) with a
paid order for the product, never one who opted out (feed.discover.privacy), is blocked either
way, or whose account is gone. Buyers who are not friends are never counted or shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Window

from backend.accounts.models import Block, Follow, User
from backend.accounts.selectors import Viewer
from backend.accounts.selectors.users import signed_in
from commerce.orders import selectors as orders
from posts import selectors as posts

FACES = 5


@dataclass(frozen=True)
class FriendBuyers:
    count: int
    # posts.selectors.author_payload dicts, by name.
    faces: list[dict]


def friends_who_bought(viewer: Viewer, product_id: int, *, faces: int = FACES) -> FriendBuyers:
    """How many of the viewer's friends bought the product, and the first `faces` of them; one
    query (the count is a window over the same rows). Nobody for a visitor."""
    if not signed_in(viewer):
        return FriendBuyers(0, [])
    followers = Follow.objects.filter(followee=viewer).values("follower")
    friends = Follow.objects.filter(follower=viewer, followee__in=followers).values("followee")
    rows = list(
        User.objects.filter(pk__in=friends, is_active=True, anonymised_at__isnull=True)
        .filter(pk__in=orders.buyers_of_product(product_id))
        .exclude(feed_privacy__show_purchases=False)
        .exclude(pk__in=Block.objects.filter(blocker=viewer).values("blocked"))
        .exclude(pk__in=Block.objects.filter(blocked=viewer).values("blocker"))
        .annotate(total=Window(Count("pk")))
        .order_by("username")[:faces]
    )
    count = rows[0].total if rows else 0
    return FriendBuyers(count=count, faces=[posts.author_payload(user) for user in rows])
