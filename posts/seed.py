"""Demo posts (a seed_demo step): about sixty posts about fruit and food by the demo people, with
drawn pictures pushed through the real media upload and processing, hashtags and mentions, product
tags on the demo shops' products, likes, saves into collections, comments, mixed visibilities and
a couple of drafts.

Everything goes through the services, so every rule holds (a like on a post one cannot see is
refused and skipped, as it would be for a real person). Idempotent: a post is known by its author
and text; likes, saves and comments are only added to posts this run created.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from backend.accounts.models import User, Visibility
from backend.errors import NotFound
from commerce.catalog import selectors as catalog
from media.services import media_process, media_upload
from posts import services
from posts.models import Post
from posts.seed_data import ALT_TEXTS, COLLECTIONS, COMMENTS, TOPICS
from posts.seed_images import post_picture

# Who posts, in turn (the spammer deals888 does not).
AUTHORS = (
    "demo",
    "lin_fruits",
    "mei_bakes",
    "ben_market",
    "grace_tea",
    "chen_eats",
    "sophie_k",
    "tom_dumpling",
    "xiaoyu",
    "wang_laoshi",
    "lucy_smoothie",
    "ahmad_grill",
)
DRAFTS = 2
# Pictures per post, in turn: mostly one, some carousels. Each picture costs about 0.2 s (drawn,
# uploaded, and three WebP variants encoded by media processing), the bulk of this step's time.
PICTURES = (1, 2, 1, 1, 3, 1)


def _visibility(index: int) -> str:
    """Mostly public, as on any sharing app, with every narrower audience represented."""
    if index % 11 == 5:
        return Visibility.CLOSE_FRIENDS
    if index % 7 == 3:
        return Visibility.FRIENDS
    if index % 5 == 4:
        return Visibility.FOLLOWERS
    return Visibility.PUBLIC


def _specs() -> list[dict]:
    specs = []
    authors = itertools.cycle(AUTHORS)
    for variant in range(3):
        for number, topic in enumerate(TOPICS):
            index = len(specs)
            specs.append(
                {
                    "index": index,
                    "author": next(authors),
                    "topic": topic,
                    "text": topic.texts[variant],
                    "pictures": PICTURES[(number + variant) % len(PICTURES)],
                    "visibility": _visibility(index),
                    # The last posts of the demo user stay drafts.
                    "draft": False,
                }
            )
    demo_specs = [spec for spec in specs if spec["author"] == "demo"]
    for spec in demo_specs[-DRAFTS:]:
        spec["draft"] = True
    return specs


def seed_picture(author: User, *, scene: str, colour: tuple[int, int, int], seed: int) -> int:
    """A drawn picture of `scene` uploaded by `author` and processed: its media id. Other apps'
    demo steps use it too."""
    data = post_picture(scene=scene, colour=colour, seed=seed)
    upload = SimpleUploadedFile(f"IMG_{seed:04d}.jpg", data, content_type="image/jpeg")
    media = media_upload(owner=author, upload=upload)
    # Processed at once: the demo must look finished even without a worker. The queued task
    # finds it done and does nothing (media_process is idempotent).
    return media_process(media_id=media.pk).pk


def _upload(author: User, spec: dict, number: int) -> int:
    topic = spec["topic"]
    return seed_picture(
        author, scene=topic.scene, colour=topic.colour, seed=spec["index"] * 7 + number
    )


def _tags(product_id: int | None, media_ids: list[int], index: int) -> list[dict]:
    if product_id is None or not media_ids:
        return []
    return [
        {
            "product_id": product_id,
            "media_id": media_ids[0],
            "x": 0.3 + (index % 5) * 0.1,
            "y": 0.45 + (index % 3) * 0.1,
        }
    ]


def _product_ids() -> dict[str, int | None]:
    found = {}
    for topic in TOPICS:
        if topic.product and topic.product not in found:
            product = catalog.product_list(q=topic.product).first()
            found[topic.product] = product.pk if product else None
    return found


def _engage(post: Post, index: int, people: list[User]) -> None:
    """Likes from a handful of people and a few comments, each skipped when that person may not
    see the post (visibility, blocks)."""
    likers = people[index % 4 :: 2][: 2 + index % 6]
    for person in likers:
        try:
            services.post_like(user=person, post=post)
        except NotFound:
            continue
    for turn in range(index % 4):
        person = people[(index + turn * 3 + 1) % len(people)]
        try:
            services.comment_create(
                author=person, post=post, text=COMMENTS[(index + turn) % len(COMMENTS)]
            )
        except NotFound:
            continue


def _save_collections(demo: User, created: dict[int, Post]) -> None:
    for name, indexes in COLLECTIONS.items():
        for index in indexes:
            post = created.get(index)
            if post is None:
                continue
            try:
                services.post_save(user=demo, post=post, collection=name)
            except NotFound:
                continue


def seed_posts(*, log: Callable[[str], None]) -> None:
    people = {user.username: user for user in User.objects.filter(username__in=AUTHORS)}
    if len(people) < len(AUTHORS):
        log("  demo people missing: run the accounts step first")
        return
    specs = _specs()
    existing = set(
        Post.objects.filter(
            author__in=people.values(), text__in=[s["text"] for s in specs]
        ).values_list("author__username", "text")
    )
    products = _product_ids()
    everyone = [people[name] for name in AUTHORS]
    now = timezone.now()
    created: dict[int, Post] = {}
    pictures = 0
    for spec in specs:
        if (spec["author"], spec["text"]) in existing:
            continue
        author = people[spec["author"]]
        media_ids = [_upload(author, spec, n) for n in range(spec["pictures"])]
        pictures += len(media_ids)
        post = services.post_create(
            author=author,
            text=spec["text"],
            media_ids=media_ids,
            visibility=spec["visibility"],
            status=Post.Status.DRAFT if spec["draft"] else Post.Status.PUBLISHED,
            location=spec["topic"].location,
            tags=_tags(products.get(spec["topic"].product), media_ids, spec["index"]),
            alt_texts=[ALT_TEXTS[spec["topic"].scene]] * len(media_ids),
        )
        # Spread over the last weeks, so feeds and "3 days ago" look lived in.
        moment = now - datetime.timedelta(hours=7 * (len(specs) - spec["index"]))
        Post.objects.filter(pk=post.pk).update(
            created_at=moment, published_at=moment if post.published_at else None
        )
        if not spec["draft"]:
            _engage(post, spec["index"], everyone)
        created[spec["index"]] = post
    _save_collections(people["demo"], created)
    if created:
        log(f"  {len(created)} posts created with {pictures} pictures")
