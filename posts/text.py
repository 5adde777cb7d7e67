"""Hashtags and @mentions found in a post's or a comment's text.

One tokenizer decides for the parsers and for the pages that link the tags, so what is stored
and what is shown as a link never disagree. The full-width `＃` and `＠` that Chinese and
Japanese keyboards type count like `#` and `@`. A tag or mention must start a word: a `#` or `@`
right after a letter or digit (`abc#def`, `me@example.com`) is not one, and nothing inside a URL
counts (`https://example.com/#top`).
"""

from __future__ import annotations

import re
import unicodedata

from posts.models import Hashtag

HASHTAG_MAX_LENGTH = Hashtag._meta.get_field("name").max_length
# A text naming more people than this is spam; the rest stay plain text.
MAX_MENTIONS = 30

HASH_MARKS = "#＃"
AT_MARKS = "@＠"
_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+", re.IGNORECASE)

Token = tuple[str, str, str]


def _word_char(char: str) -> bool:
    # Combining marks (Thai, Devanagari vowel signs) belong inside words; `\w` leaves them out.
    return char == "_" or char.isalnum() or unicodedata.category(char).startswith("M")


def _starts_word(text: str, index: int) -> bool:
    if index == 0:
        return True
    before = text[index - 1]
    return not (_word_char(before) or before in HASH_MARKS + AT_MARKS + "&/")


def _end_of(text: str, start: int, also: str) -> int:
    end = start
    while end < len(text) and (_word_char(text[end]) or text[end] in also):
        end += 1
    return end


def _hashtag_at(text: str, index: int) -> tuple[str, int] | None:
    """The case-folded tag starting at text[index] (a hash mark) and where it ends, or None.

    A tag is letters, digits, marks, `_` and inner `-`; it needs a letter (`#1` is a number) and
    at most HASHTAG_MAX_LENGTH characters (longer runs are not tags rather than cut ones)."""
    end = _end_of(text, index + 1, "-")
    while end > index + 1 and text[end - 1] == "-":
        end -= 1
    name = unicodedata.normalize("NFKC", text[index + 1 : end]).casefold()
    if not name or name[0] == "-" or len(name) > HASHTAG_MAX_LENGTH:
        return None
    if not any(char.isalpha() for char in name):
        return None
    return name, end


def _mention_at(text: str, index: int) -> tuple[str, int] | None:
    """The username typed after text[index] (an at mark) and where it ends, or None; a trailing
    `.` ends the sentence, not the name."""
    end = _end_of(text, index + 1, ".+-")
    while end > index + 1 and text[end - 1] == ".":
        end -= 1
    name = unicodedata.normalize("NFKC", text[index + 1 : end])
    return (name, end) if name else None


def text_tokens(text: str) -> list[Token]:
    """`text` cut into (kind, value, raw) pieces that join back into it: kind "hashtag" (value:
    the case-folded tag), "mention" (value: the username as typed) or "text" (value = raw)."""
    urls = [match.span() for match in _URL.finditer(text)]
    tokens: list[Token] = []
    plain_from = index = 0
    while index < len(text):
        inside_url = next((end for start, end in urls if start <= index < end), None)
        if inside_url is not None:
            index = inside_url
            continue
        char = text[index]
        found = None
        if _starts_word(text, index):
            if char in HASH_MARKS:
                found = ("hashtag", _hashtag_at(text, index))
            elif char in AT_MARKS:
                found = ("mention", _mention_at(text, index))
        if found is None or found[1] is None:
            index += 1
            continue
        kind, (value, end) = found
        if plain_from < index:
            tokens.append(("text", text[plain_from:index], text[plain_from:index]))
        tokens.append((kind, value, text[index:end]))
        plain_from = index = end
    if plain_from < len(text):
        tokens.append(("text", text[plain_from:], text[plain_from:]))
    return tokens


def parse_hashtags(text: str) -> list[str]:
    """The hashtags of `text`, case-folded, without `#`, in order of appearance, each once."""
    found: list[str] = []
    for kind, value, _raw in text_tokens(text):
        if kind == "hashtag" and value not in found:
            found.append(value)
    return found


def parse_mentions(text: str) -> list[str]:
    """The usernames mentioned in `text` as typed (`@Alice` → "Alice"), in order, each once
    whatever its letter case, at most MAX_MENTIONS. Whether such a user exists is the caller's
    question."""
    found: dict[str, str] = {}
    for kind, value, _raw in text_tokens(text):
        if kind == "mention" and value.casefold() not in found:
            found[value.casefold()] = value
            if len(found) == MAX_MENTIONS:
                break
    return list(found.values())
