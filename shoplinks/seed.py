"""Demo share links (a seed_demo step): every demo author's link to each product tagged in their
public posts, taps on them (counted ones, and ones flagged as a bot preview, a repeat or too
many from one address), and friends who tapped, then bought and paid, so that `order.paid`
attributes the lines as it would for real: credited, a later tap on another sharer's link, the
sharer buying through their own link, a tap too old, and a buyer whose only tap was flagged.

The taps go through the real recording path (`clicks.record`, the same flags and buffer as
`/s/<code>`), the purchases through the shop's services (cart, checkout, the sandbox's approval
and its signed webhook), like commerce's own seed. Attribution runs when the step's transaction
commits. Idempotent: links are found again, and taps and purchases happen once (not when the
demo links already have clicks).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.test import RequestFactory

from backend.accounts.models import User
from commerce.cart.services import cart_add, cart_get_or_create
from commerce.catalog import selectors as catalog
from commerce.checkout.services import checkout_place
from commerce.payments.providers import SandboxProvider
from commerce.payments.services import payment_authorize
from commerce.payments.webhooks import webhook_receive
from commerce.seed_data import DEMO_ADDRESS
from posts import selectors as posts
from shoplinks import clicks, lookup
from shoplinks.clicks import buffer
from shoplinks.models import Click, ShareLink
from shoplinks.services import link_get_or_create

# The account people sign in with to look around: its links tell every story.
MAIN_SHARER = "demo"
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
# A chat app drawing the link's preview card: a fetch, not a person.
PREVIEW = "WhatsApp/2.24.12.78 A"
# One address whose preview fetcher hammers the links, then a person behind the same address.
BUSY_ADDRESS = "198.51.100.66"
# Who buys in the "two sharers, one product" stories (the first two who are not the other
# sharer).
RIVAL_BUYERS = ("xiaoyu", "lucy_smoothie", "ben_market")
# Friends' posts the main sharer re-shares, the most recent ones.
RESHARES = 4
# Older than any attribution window people would set.
LONG_AGO = timedelta(days=30)


@dataclass(frozen=True)
class Story:
    """One friend's journey: tap these links in order (as a signed-in user), then buy."""

    buyer: str
    taps: tuple[ShareLink, ...]
    buys: ShareLink
    # The buyer's taps were long before the order (window_expired).
    stale: bool = False
    # The buyer taps from the busy address: flagged as rate-limited (flagged_click).
    busy: bool = False


def _request(user: User | None, *, agent: str, ip: str):
    """A page navigation to /s/<code> as a browser sends it, without cookies: a visitor is
    each time a new one, as a stranger opening the link for the first time is."""
    request = RequestFactory().get(
        "/s/demo", HTTP_USER_AGENT=agent, HTTP_SEC_FETCH_DEST="document", REMOTE_ADDR=ip
    )
    request.user = user or AnonymousUser()
    return request


def _tap(link: ShareLink, user: User | None = None, *, agent: str = PHONE, ip: str) -> None:
    clicks.record(_request(user, agent=agent, ip=ip), lookup.link_info(link.code))


def _links(log: Callable[[str], None]) -> list[ShareLink]:
    """Each demo author's link to every product for sale tagged in their public posts, and the
    main sharer's links re-sharing friends' posts (the point of sharing) up to RESHARES."""
    views = posts.post_views(
        list(posts.visible_posts(AnonymousUser()).order_by("published_at", "pk")),
        viewer=AnonymousUser(),
    )
    people = User.objects.in_bulk({view.author["id"] for view in views})
    main = User.objects.filter(username=MAIN_SHARER).first()
    wanted = []
    for view in views:
        products = [tag["product"]["id"] for tag in view.tags if tag["product"]["for_sale"]]
        wanted += [(people[view.author["id"]], product, view.id) for product in products]
    if main is not None:
        others = [item for item in wanted if item[0].pk != main.pk]
        wanted += [(main, product, post) for _, product, post in others[-RESHARES:]]
    links, made = [], 0
    for sharer, product_id, post_id in wanted:
        link, created = link_get_or_create(sharer=sharer, product_id=product_id, post_id=post_id)
        links.append(link)
        made += created
    if made:
        log(f"  {made} share links")
    return links


def _crowd(links: list[ShareLink]) -> None:
    """Strangers tapping: a few counted taps per link from their own addresses, and a chat
    app's preview on every third link."""
    for index, link in enumerate(links):
        for visitor in range(1 + index % 4):
            agent = ANDROID if visitor % 2 else PHONE
            _tap(link, agent=agent, ip=f"203.0.113.{(index * 5 + visitor) % 250 + 1}")
        if index % 3 == 0:
            _tap(link, agent=PREVIEW, ip="192.0.2.10")


def _flood(links: list[ShareLink]) -> None:
    """The busy address's preview fetcher goes over the per-minute limit (its last taps are
    flagged rate-limited as well as bot). Run right before the busy story's tap: the limit
    counts per calendar minute, and both must fall in the same one."""
    for index in range(settings.SHARE_CLICKS_PER_IP_PER_MINUTE + 2):
        _tap(links[index % len(links)], agent=PREVIEW, ip=BUSY_ADDRESS)


def _stories(links: list[ShareLink], people: dict[str, User]) -> list[Story]:
    mine = [link for link in links if link.sharer.username == MAIN_SHARER]
    if len(mine) < 3:
        return []
    by_product: dict[int, list[ShareLink]] = defaultdict(list)
    for link in links:
        by_product[link.product_id].append(link)
    stories = [
        Story("sophie_k", (mine[0], mine[0]), mine[0]),
        Story("tom_dumpling", (mine[1],), mine[1]),
        Story(MAIN_SHARER, (mine[0],), mine[0]),
        Story("grace_tea", (mine[2],), mine[2], stale=True),
        Story("ahmad_grill", (mine[1],), mine[1], busy=True),
    ]
    # The same product shared by demo and by someone else: the later tap wins, either way.
    rival = next(
        (
            (own, other)
            for own in mine
            for other in by_product[own.product_id]
            if other.sharer_id != own.sharer_id
        ),
        None,
    )
    if rival is not None:
        own, other = rival
        # Two friends who are neither of the two sharers.
        first, second = [name for name in RIVAL_BUYERS if name != other.sharer.username][:2]
        stories.append(Story(first, (own, other), other))
        stories.append(Story(second, (other, own), own))
    # Someone else's links get a sale too, so every sharer's page has a story.
    others = [link for link in links if link.sharer.username != MAIN_SHARER]
    buyers = ("chen_eats", "wang_laoshi", "mei_bakes")
    for buyer, link in zip(buyers, others[::5], strict=False):
        if link.sharer.username != buyer:
            stories.append(Story(buyer, (link,), link))
    return [story for story in stories if story.buyer in people and _fair(story)]


def _fair(story: Story) -> bool:
    """Nobody but the main sharer (whose self-purchase is one of the stories) buys through
    their own link."""
    if story.buyer == MAIN_SHARER:
        return True
    return all(link.sharer.username != story.buyer for link in story.taps)


def _walk(story: Story, buyer: User, links: list[ShareLink]) -> None:
    if story.busy:
        _flood(links)
    ip = BUSY_ADDRESS if story.busy else f"203.0.113.{200 + buyer.pk % 50}"
    for link in story.taps:
        _tap(link, buyer, ip=ip)
        # Taps a moment apart, so "the later one" is plain even on a coarse clock.
        time.sleep(0.002)


def _buy(buyer: User, link: ShareLink) -> None:
    """The buyer's checkout of one unit of the link's product, approved on the sandbox's page,
    and the gateway's signed webhook received (as commerce's seed does)."""
    product = catalog.product_for_public(link.product_id)
    sku = next((sku for sku in product.active_skus if sku.available > 0), None)
    if sku is None:
        return
    cart_add(cart=cart_get_or_create(user=buyer), sku_id=sku.pk, quantity=1)
    placed = checkout_place(buyer=buyer, address={**DEMO_ADDRESS, "name": buyer.name})
    operation = payment_authorize(payment=placed.payment, payer=buyer, approve=True)
    provider = SandboxProvider()
    raw_body, headers = provider.webhook_request(operation)
    webhook_receive(provider=provider.name, headers=headers, raw_body=raw_body)


def seed_links(*, log: Callable[[str], None]) -> None:
    started = time.monotonic()
    links = _links(log)
    if not links:
        log("  no tagged public posts: run the posts step first")
        return
    if Click.objects.filter(link__in=links).exists():
        return
    people = User.objects.in_bulk(
        {"sophie_k", "tom_dumpling", "grace_tea", "ahmad_grill", *RIVAL_BUYERS}
        | {"chen_eats", "wang_laoshi", "mei_bakes", MAIN_SHARER},
        field_name="username",
    )
    _crowd(links)
    stories = _stories(links, people)
    for story in stories:
        _walk(story, people[story.buyer], links)
    buffer.flush()
    stale = [people[story.buyer].pk for story in stories if story.stale]
    # A tap from a month ago: the recording path only knows "now", so its time is moved back.
    Click.objects.filter(user_id__in=stale).update(clicked_at=F("clicked_at") - LONG_AGO)
    for story in stories:
        _buy(people[story.buyer], story.buys)
    log(
        f"  {Click.objects.filter(link__in=links).count()} taps and {len(stories)} purchases"
        f" through links in {time.monotonic() - started:.1f} s"
    )
