"""A viewer's discover pages: the chip's top posts boosted by closeness, diversified, without
repeats across the pages of one reading session.

The first page ranks: ONE query takes the chip's top FEED_DISCOVER_CANDIDATES entries by score
(the (category, -score) index), keeps the posts the viewer may see among them (visible_posts:
visibility, blocks, mutes, deletion, hiding, the same rule as every feed), multiplies the score
of authors followed by someone the viewer follows by (1 + FEED_DISCOVER_CLOSENESS_BOOST), orders
by that, and brings the authors and the viewer's likes and saves along. The order is then
diversified (no author twice in a row) and kept in the cache for FEED_DISCOVER_SESSION_SECONDS
under a random key; the cursor is that key and an offset. A later page is a slice of the kept
list, its posts read again in one query with the same visibility rule, so a post deleted or an
author blocked meanwhile never shows. A cursor whose list has expired (or belongs to another
viewer) starts a fresh session from its first page. Either way a page costs one query plus the
cards' (posts.selectors.post_views: at most 2 more).
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from backend.accounts.models import Follow, User
from backend.accounts.selectors import Viewer
from backend.accounts.selectors.users import signed_in
from feed.errors import InvalidCursor
from feed.models import DiscoverEntry
from posts import selectors as posts
from posts.models import Post

CACHE_PREFIX = "feed:discover:"


@dataclass(frozen=True)
class DiscoverPage:
    # The viewer may see every one of them; authors joined; in ranked order.
    posts: list[Post]
    next_cursor: str | None


def _encode(token: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{token}.{offset}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        token, offset_text = raw.split(".")
        offset = int(offset_text)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc
    if not token or offset <= 0 or not token.replace("-", "").replace("_", "").isalnum():
        raise InvalidCursor()
    return token, offset


class AmongTop(Func):
    """`column IN (subquery)`, written for PostgreSQL as `column = ANY(ARRAY(subquery))`: the
    array is computed once and the posts probed by key, where an IN over a LIMIT subquery was
    planned as a hash semi-join over every visible post (the bench: 200 ms against 3 ms)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, subquery = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return f"{column_sql} IN {subquery_sql}", (*column_params, *subquery_params)

    def as_postgresql(self, compiler, connection, **extra):
        column, subquery = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return f"{column_sql} = ANY(ARRAY{subquery_sql})", (*column_params, *subquery_params)


def diversify(ranked: list) -> list:
    """`ranked` reordered so that no two neighbours share an author where that can be helped:
    each place takes the best remaining post by another author than the previous one's."""
    pending, out, previous = list(ranked), [], None
    while pending:
        index = next(
            (i for i, post in enumerate(pending) if post.author_id != previous),
            0,
        )
        post = pending.pop(index)
        out.append(post)
        previous = post.author_id
    return out


# The columns of a candidate row: the post's, its author's, the viewer's flags.
POST_FIELDS = tuple(field.attname for field in Post._meta.concrete_fields)
AUTHOR_FIELDS = tuple(field.attname for field in User._meta.concrete_fields)
FLAGS = ("viewer_liked", "viewer_saved", "viewer_collection")


@dataclass(frozen=True)
class Candidate:
    """One ranked row, kept as the database gave it: only the page's rows become models."""

    pk: int
    author_id: int
    row: tuple
    db: str

    def post(self) -> Post:
        posts_end = len(POST_FIELDS)
        authors_end = posts_end + len(AUTHOR_FIELDS)
        post = Post.from_db(self.db, POST_FIELDS, self.row[:posts_end])
        post.author = User.from_db(self.db, AUTHOR_FIELDS, self.row[posts_end:authors_end])
        for name, value in zip(FLAGS, self.row[authors_end:], strict=True):
            setattr(post, name, value)
        return post


def ranked_candidates(viewer: Viewer, category: str) -> list[Candidate]:
    """The chip's candidates the viewer may see, best first after the closeness boost, with
    their authors and the viewer's likes and saves; one query. The viewer's own posts are left
    out: discovery is of others. Rows, not models: building K models was most of a first page's
    time (the bench), and only a page of them is shown."""
    top = (
        DiscoverEntry.objects.filter(category=category)
        .order_by("-score", "-post_id")
        .values("post_id")[: settings.FEED_DISCOVER_CANDIDATES]
    )
    entry = DiscoverEntry.objects.filter(category=category, post=OuterRef("pk"))
    candidates = (
        posts.visible_posts(viewer, exclude_muted=True)
        .filter(AmongTop(F("pk"), Subquery(top)))
        .annotate(discover_score=Subquery(entry.values("score")[:1], output_field=FloatField()))
    )
    rank = F("discover_score")
    if signed_in(viewer):
        candidates = candidates.exclude(author_id=viewer.pk)
        following = Follow.objects.filter(follower=viewer).values("followee")
        # Not correlated: PostgreSQL hashes the set once instead of probing it per candidate.
        near = Q(author__in=Follow.objects.filter(follower__in=following).values("followee"))
        boost = 1.0 + settings.FEED_DISCOVER_CLOSENESS_BOOST
        rank = F("discover_score") * Case(
            When(near, then=Value(boost)), default=Value(1.0), output_field=FloatField()
        )
    ranked = (
        posts.with_viewer_flags(candidates, viewer)
        .annotate(rank=rank)
        .order_by("-rank", "-id")
        .values_list(*POST_FIELDS, *(f"author__{name}" for name in AUTHOR_FIELDS), *FLAGS)
    )
    pk_at, author_at = POST_FIELDS.index("id"), POST_FIELDS.index("author_id")
    return [Candidate(row[pk_at], row[author_at], row, ranked.db) for row in ranked]


def _viewer_key(viewer: Viewer) -> int:
    return viewer.pk if signed_in(viewer) else 0


def discover_page(
    viewer: Viewer, *, category: str = DiscoverEntry.ALL, cursor: str | None, limit: int
) -> DiscoverPage:
    """A page of discover for `viewer` in chip `category` (a top-level category slug or "all";
    the caller checked it exists). Raises InvalidCursor (400) for a cursor discover did not
    give out; one whose session expired starts again from the first page."""
    if cursor is not None:
        token, offset = _decode(cursor)
        session = cache.get(CACHE_PREFIX + token)
        if session is not None and session["viewer"] == _viewer_key(viewer):
            ids = session["ids"][offset : offset + limit]
            visible = posts.visible_posts(viewer, exclude_muted=True)
            found = posts.with_viewer_flags(visible, viewer).in_bulk(ids) if ids else {}
            more = offset + limit < len(session["ids"])
            return DiscoverPage(
                posts=[found[pk] for pk in ids if pk in found],
                next_cursor=_encode(token, offset + limit) if more else None,
            )
    ranked = diversify(ranked_candidates(viewer, category))
    next_cursor = None
    if len(ranked) > limit:
        token = secrets.token_urlsafe(12)
        cache.set(
            CACHE_PREFIX + token,
            {"viewer": _viewer_key(viewer), "ids": [candidate.pk for candidate in ranked]},
            settings.FEED_DISCOVER_SESSION_SECONDS,
        )
        next_cursor = _encode(token, limit)
    return DiscoverPage(
        posts=[candidate.post() for candidate in ranked[:limit]], next_cursor=next_cursor
    )
