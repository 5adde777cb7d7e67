"""Text search helpers every app's search uses: cutting a query into terms, and PostgreSQL
full-text matching where its parser can cut the words.

Terms are NFKC-normalised and case-folded (as posts stores hashtag names), `#` and surrounding
punctuation dropped, so `#芒果` and `芒果` are one term. PostgreSQL's "simple" configuration
lowercases words and nothing else, for every language; its parser keeps a run of CJK (or Thai,
Khmer, ...) characters as one word, so such terms are matched by substring instead, as every term
is on SQLite.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import Q, QuerySet

# Terms past this many are ignored: a longer query is a sentence, not a search.
MAX_TERMS = 8
FTS_CONFIG = "simple"

# Scripts written without spaces between words: PostgreSQL's parser cannot cut them.
_UNSPACED = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR")


def normalise(text: str) -> str:
    """NFKC, case-folded: how hashtag names are stored."""
    return unicodedata.normalize("NFKC", text).casefold()


def search_terms(query: str) -> list[str]:
    """The distinct terms of `query`, in order, `#` and surrounding punctuation dropped."""
    terms: list[str] = []
    for raw in normalise(query).split():
        term = raw.strip("#.,;:!?\"'()[]{}<>，。！？、：；「」")
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def _unspaced(term: str) -> bool:
    return any(unicodedata.name(char, "").startswith(_UNSPACED) for char in term)


def _lexemes(term: str) -> list[str]:
    """The words PostgreSQL's parser would cut `term` into (letters and digits only, so they
    are safe inside a tsquery)."""
    return re.findall(r"[^\W_]+", term)


def split_terms(terms: list[str]) -> tuple[list[str], list[str]]:
    """(words full-text search can match, terms to match by substring): every term goes the
    substring way on SQLite and for unspaced scripts."""
    on_postgres = connection.vendor == "postgresql"
    words = [term for term in terms if on_postgres and not _unspaced(term) and _lexemes(term)]
    return words, [term for term in terms if term not in words]


def substring_match(fields: tuple[str, ...], terms: list[str]) -> Q:
    """Rows where every term stands in one of `fields` (case-insensitive)."""
    match = Q()
    for term in terms:
        either = Q()
        for field in fields:
            either |= Q(**{f"{field}__icontains": term})
        match &= either
    return match


def full_text(rows: QuerySet, fields: tuple[str, ...], words: list[str]) -> QuerySet:
    """`rows` narrowed by PostgreSQL full-text search to those holding every word (each as a
    prefix, so a half-typed word finds already). The vector is the expression Django writes for
    `SearchVector(*fields, config="simple")`: the GIN indexes of the apps' migrations are on
    exactly that."""
    from django.contrib.postgres.search import SearchQuery, SearchVector

    lexemes = [lexeme for word in words for lexeme in _lexemes(word)]
    tsquery = " & ".join(f"'{lexeme}':*" for lexeme in lexemes)
    vector = SearchVector(*fields, config=FTS_CONFIG)
    search = SearchQuery(tsquery, config=FTS_CONFIG, search_type="raw")
    return rows.alias(document=vector).filter(document=search)
