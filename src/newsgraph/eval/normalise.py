"""Name normalisation for the scorer (gold/1 rules), so gold and exported strings compare fairly."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032`\u00b4"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_QUOTES = str.maketrans(
    _SINGLE_QUOTES + _DOUBLE_QUOTES, "'" * len(_SINGLE_QUOTES) + '"' * len(_DOUBLE_QUOTES)
)
_POSSESSIVE = re.compile(r"'s\b")
_HYPHENS = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
# Apostrophes vanish without a gap ("Hay'at" == "Hayat"), as do full stops after a single letter
# ("U.S." == "US"); any other punctuation or symbol becomes a space, so "weapons.When" and
# "Aleppo,Syria" keep two words.
_GLUED = re.compile(r"'|(?<=\b[^\W\d_])\.")
_ARTICLES = frozenset({"the", "a", "an"})


@lru_cache(maxsize=65536)
def norm(name: str) -> str:
    """Normalise a name: accents off, lower case, quotes unified, 's and leading article dropped,
    hyphens as spaces, punctuation removed, whitespace collapsed."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().translate(_QUOTES)
    s = _POSSESSIVE.sub("", s)
    s = _HYPHENS.sub(" ", s)
    s = _GLUED.sub("", s)
    s = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in s)
    tokens = s.split()
    if tokens and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    return " ".join(tokens)


def contains_words(sentence: str | None, evidence: str | None) -> bool:
    """True when the normalised evidence is a contiguous run of whole words of the normalised sentence."""
    needle = norm(evidence or "")
    if not needle:
        return False
    return f" {needle} " in f" {norm(sentence or '')} "


def norm_words(text: str | None) -> list[str]:
    """The normalised words of a text (for overlap tests)."""
    return norm(text or "").split()
