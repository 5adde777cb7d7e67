"""Finding people by username or display name (issue 9 "Search"), best match first.

On PostgreSQL the match forgives typos: names alike by trigrams ("mie_bakes" finds mei_bakes,
pg_trgm's `%`: similarity at least the database's `pg_trgm.similarity_threshold`, 0.3 unless
an operator sets it) or starting with what was typed, ranked by
the closer of the two names, with an exact or leading match first. SQLite has no trigrams: a name
must start with what was typed (or a word of the display name must), ranked exact, then
username, then display name. Both use the trigram indexes of accounts migration 0002 where
they exist.

Never a deleted or deactivated account, never anyone blocked either way with the viewer.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest, Upper

from backend.accounts.models import Block, Follow, User
from backend.accounts.selectors.profiles import with_follow_counts
from backend.accounts.selectors.users import Viewer, present_users, signed_in

EXACT, LEADING, WORD = 3.0, 2.0, 1.0


class _Similar(Lookup):
    """pg_trgm's `a % b`: similarity above the session's threshold, served by a trigram index."""

    lookup_name = "trigram_alike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} %% {rhs}", (*lhs_params, *rhs_params)


def _similarity(column: str, typed: str):
    from django.contrib.postgres.search import TrigramSimilarity

    return TrigramSimilarity(Upper(column), Upper(Value(typed)))


def search_users(viewer: Viewer, query: str) -> QuerySet[User]:
    """Present people matching `query`, best first, with `followers_count` (and, for a
    signed-in viewer, `followed`: whether the viewer follows them). One query."""
    typed = " ".join(query.split()).removeprefix("@")
    if not typed:
        return User.objects.none()
    users = present_users()
    if signed_in(viewer):
        users = users.exclude(pk__in=Block.objects.filter(blocker=viewer).values("blocked"))
        users = users.exclude(pk__in=Block.objects.filter(blocked=viewer).values("blocker"))
        users = users.annotate(
            followed=Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk")))
        )
    leading = Q(username__istartswith=typed) | Q(display_name__istartswith=typed)
    word = Q(display_name__icontains=f" {typed}")
    closeness = Case(
        When(Q(username__iexact=typed) | Q(display_name__iexact=typed), then=Value(EXACT)),
        When(username__istartswith=typed, then=Value(LEADING)),
        When(display_name__istartswith=typed, then=Value(LEADING - 0.5)),
        When(word, then=Value(WORD)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    if connection.vendor == "postgresql":
        users = users.filter(
            leading | word | _alike("username", typed) | _alike("display_name", typed)
        )
        closeness = closeness + Greatest(
            _similarity("username", typed), _similarity("display_name", typed)
        )
    else:
        users = users.filter(leading | word)
    return (
        with_follow_counts(users)
        .alias(closeness=closeness)
        .order_by(F("closeness").desc(), "username", "id")
    )


def _alike(column: str, typed: str) -> Q:
    return Q(_Similar(Upper(column), Upper(Value(typed))))
