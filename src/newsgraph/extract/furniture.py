"""Sentences that are page furniture rather than reporting.

Scraped corpora often arrive as one flattened paragraph, so the cleaner's line-based boilerplate rules
cannot see the menu, the related-headline list or the copyright footer. Here the sentence is the unit:
names in furniture are not actors of this article ("Sudanese President Bashir dissolves government" in a
sidebar), and headlines of other stories must not become its events.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsgraph.resources import load_yaml


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern, int, int, float, frozenset[str]]:
    data = load_yaml("lexicon", "furniture.yaml")
    cues = re.compile("|".join(f"(?:{p})" for p in data["cues"]))
    title = data["title_case"]
    return (cues, int(data["separators"]), int(title["min_words"]), float(title["share"]),
            frozenset(data["function_words"]))


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def is_furniture(sentence: str) -> bool:
    cues, separators, min_words, share, function_words = _rules()
    if cues.search(sentence) or sentence.count("|") >= separators:
        return True
    words = [w for w in _WORD.findall(sentence) if w.lower() not in function_words]
    if len(words) < min_words:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= share * len(words)


def furniture_sentences(text: str, sentences: list[tuple[int, int]]) -> set[int]:
    return {i for i, (s, e) in enumerate(sentences) if is_furniture(text[s:e])}
