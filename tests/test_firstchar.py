"""The first-character lookahead changes no match of a pattern, only how fast it is found."""

import re

from newsgraph.extract.firstchar import first_char_class, guarded, required_literal
from newsgraph.extract.timex import _rules

TEXT = (
    "On Tuesday, March 3, 2015 the army said that on 4-6 June and in mid-2016, two weeks ago, Q1 2013 "
    "and the '90s, between 2001 and 2003; sometime in MAY 2012 or ſept 9 (long s), 12/05/2014, 2011-03-15."
)


def _spans(pattern: re.Pattern[str], text: str) -> list:
    return [(m.span(), m.groupdict(), m.groups()) for m in pattern.finditer(text)]


def test_every_timex_rule_finds_the_same_matches_with_the_lookahead():
    for rule in _rules():
        plain = re.compile(_plain(rule.pattern), rule.pattern.flags)
        assert _spans(rule.pattern, TEXT) == _spans(plain, TEXT), rule.name


def _plain(pattern: re.Pattern[str]) -> str:
    """The rule's own pattern without the lookahead guarded() put in front."""
    src = pattern.pattern
    assert src.startswith("(?=[")
    return src[src.index("])") + 2 :]  # the class holds escapes only, never a bracket


def test_a_pattern_that_can_match_nothing_is_left_as_it_is():
    assert first_char_class(r"\d*") is None
    assert guarded(r"(?:ab)?c?").pattern == r"(?:ab)?c?"


def test_a_backreference_or_any_character_first_is_left_as_it_is():
    assert first_char_class(r".x") is None
    assert first_char_class(r"[^a]b") is None


def test_case_folding_under_ignorecase_is_the_patterns_own():
    pattern = guarded(r"\bsept\b", re.IGNORECASE)
    assert [m.group() for m in pattern.finditer("SEPT Sept ſept xsept")] == ["SEPT", "Sept", "ſept"]


def test_optional_and_alternative_beginnings_all_count():
    cls = first_char_class(r"\b(?:the\s+)?(?:early|late)?\s*(?P<y>\d{4})")
    pattern = re.compile(cls)
    for first in "tel 2 \t":
        assert pattern.match(first), first
    assert not pattern.match("x")


def test_the_required_literal_is_text_every_match_holds():
    assert required_literal(r"\bComment via\b") == "Comment via"
    assert required_literal(r"^\W*\d*\s*Related\b(?! to\b)") == "Related"
    assert required_literal(r"\b[Cc]opyright\b") == "opyright"
    assert required_literal(r"\b(Read|See) [Mm]ore\b") == "ore"
    for pattern in (r"\b[Cc]opyright\b", r"^\W*\d*\s*Related\b(?! to\b)", r"\b(Read|See) [Mm]ore\b"):
        for text in ("Copyright 2016", "Related: x", "Read more", "See More"):
            if re.search(pattern, text):
                assert required_literal(pattern) in text


def test_no_literal_is_claimed_where_a_match_may_lack_it():
    assert required_literal(r"Read|See") is None  # either alternative alone
    assert required_literal(r"(?:ab)?c?") is None
    assert required_literal(r"sept", re.IGNORECASE) is None  # 'SEPT' holds no 'sept'
    assert required_literal(r"(?i)sept") is None
    assert required_literal(r"(?x) a b ") is None
    assert required_literal(r"x*y") == "y"


def test_furniture_cues_answer_as_their_alternation_searched_in_every_sentence():
    from newsgraph.extract.furniture import _rules
    from newsgraph.resources import load_yaml

    patterns = load_yaml("lexicon", "furniture.yaml")["cues"]
    alternation = re.compile("|".join(f"(?:{p})" for p in patterns))
    cues = _rules()[0]
    sentences = [
        "Related Stories", "  12 Related", "Related to the attack, five died.", "Copyright 2016 Reuters",
        "copyright", "© AFP", "All rights reserved.", "Read More", "He said he would read more.",
        "Reporting by Tom Perry; Editing by Alison Williams", "Sign up for our newsletter", "Signed up",
        "The strikes hit Aleppo on Monday.", "Follow us on Twitter", "Trending now", "x" * 50, "",
    ]
    for s in sentences:
        assert cues.search(s) == bool(alternation.search(s)), s
