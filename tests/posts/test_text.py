"""Hashtag and mention parsing (posts.text)."""

import pytest

from posts.text import MAX_MENTIONS, parse_hashtags, parse_mentions, text_tokens


def test_hashtags_are_unicode_and_case_folded_in_order_without_duplicates():
    """#芒果, #mango-season and #Mango parse as "芒果", "mango-season", "mango"; #MANGO is the same
    tag as #Mango so it appears once."""
    text = "Love #芒果 and #mango-season, then #Mango and #MANGO again"
    assert parse_hashtags(text) == ["芒果", "mango-season", "mango"]


def test_full_width_hash_and_combining_marks_make_tags():
    """The full-width ＃ of Chinese keyboards counts, and Thai vowel marks stay in the tag."""
    assert parse_hashtags("＃桃子 #ผลไม้") == ["桃子", "ผลไม้"]


@pytest.mark.parametrize(
    "text",
    [
        "see https://example.com/page#top",
        "www.example.com/#fruit",
        "abc#def",
        "#1234",
        "#-",
        "# mango",
        "#" + "a" * 101,
    ],
)
def test_not_hashtags(text):
    """No tag inside a URL, right after a letter, made of digits only, empty, or over 100
    characters long."""
    assert parse_hashtags(text) == []


def test_hashtag_of_exactly_100_characters_is_kept():
    """100 characters is the limit, inclusive."""
    assert parse_hashtags("#" + "b" * 100) == ["b" * 100]


def test_trailing_hyphen_is_not_part_of_the_tag():
    """ "#mango-" at the end of a phrase is the tag "mango"."""
    assert parse_hashtags("so good #mango- really") == ["mango"]


def test_mentions_skip_emails_and_sentence_dots_and_repeat_names():
    """@bob. is "bob"; me@x.com is an address; @alice after @Alice is the same person."""
    text = "hi @Alice and @bob. mail me@x.com, @alice ＠Carol"
    assert parse_mentions(text) == ["Alice", "bob", "Carol"]


def test_mentions_are_capped():
    """A text naming many people keeps only the first MAX_MENTIONS."""
    text = " ".join(f"@user{n}" for n in range(MAX_MENTIONS + 5))
    assert parse_mentions(text) == [f"user{n}" for n in range(MAX_MENTIONS)]


def test_tokens_join_back_into_the_text():
    """text_tokens cuts the text into pieces whose raw parts rebuild it exactly, tags and
    mentions marked with their values."""
    text = "Fresh #Mango from @Ann, see https://x.org/#a #桃子"
    tokens = text_tokens(text)
    assert "".join(raw for _kind, _value, raw in tokens) == text
    assert [(kind, value) for kind, value, _raw in tokens if kind != "text"] == [
        ("hashtag", "mango"),
        ("mention", "Ann"),
        ("hashtag", "桃子"),
    ]
