"""Name normalisation shared by extraction, resolution and the store's alias index."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_LEADING = re.compile(r"^(the|a|an)\s+")
_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Accents removed: 'Türkiye' -> 'Turkiye'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def norm_key(name: str) -> str:
    """The key two spellings of one name share: case, accents, quotes, 's, articles, hyphens, punctuation."""
    s = fold(name).translate(_QUOTES).lower().strip()
    s = re.sub(r"'s\b", "", s)
    s = s.replace("-", " ").replace("'", "")
    s = _PUNCT.sub(" ", s)
    s = _SPACE.sub(" ", s).strip()
    return _LEADING.sub("", s)
