"""Name normalisation shared by extraction, resolution and the store's alias index."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_LEADING = re.compile(r"^(the|a|an)\s+")
_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Accents removed: 'Türkiye' -> 'Turkiye'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)  # pure; the same names recur in every article
def norm_key(name: str) -> str:
    """The key two spellings of one name share: case, accents, quotes, 's, articles, hyphens, punctuation."""
    s = fold(name).translate(_QUOTES).lower().strip()
    s = re.sub(r"'s\b", "", s)
    s = s.replace("-", " ").replace("'", "")
    s = _PUNCT.sub(" ", s)
    s = _SPACE.sub(" ", s).strip()
    return _LEADING.sub("", s)


_ARTICLE_PREFIX = re.compile(r"\b(?:al|el|ad|ar|as|az|ash|an)\s+")


@lru_cache(maxsize=1 << 16)  # pure; the same names recur in every article
def skeleton(name: str) -> str:
    """Consonants of a name, Arabic articles and doubled letters dropped: transliterations of one name agree.

    'Saif al-Obeidi' and 'Saif al-Ubaidi' -> 'sf bd'; 'Qassem Soleimani' and 'Qasim Suleimani' -> 'qsm slmn'.
    Too coarse alone (Hassan / Hussein): callers confirm with a string similarity.
    """
    s = _ARTICLE_PREFIX.sub("", norm_key(name) + " ").strip()
    words = []
    for w in s.split():
        w = ("*" if w[0] in "aeiou" else w[0]) + re.sub(r"[aeiouyw']", "", w[1:])
        w = re.sub(r"(.)\1+", r"\1", w)
        words.append(w)
    return " ".join(words)
