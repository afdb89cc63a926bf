"""Sentences that are page furniture rather than reporting.

Scraped corpora often arrive as one flattened paragraph, so the cleaner's line-based boilerplate rules
cannot see the menu, the related-headline list or the copyright footer. Here the sentence is the unit:
names in furniture are not actors of this article ("Sudanese President Bashir dissolves government" in a
sidebar), and headlines of other stories must not become its events.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsgraph.extract.firstchar import required_literal
from newsgraph.resources import load_yaml


class _Cues:
    """The cue patterns, any of which makes a sentence furniture. Each is searched for only in sentences
    holding the literal text every match of it holds ('Subscribe', 'opyright', 'Related'): most sentences
    hold none, and finding a literal is far cheaper than running a pattern over the sentence."""

    def __init__(self, patterns: list[str]) -> None:
        self.guarded: list[tuple[str, re.Pattern]] = []
        self.always: list[re.Pattern] = []
        for p in patterns:
            compiled = re.compile(p)
            literal = required_literal(p)
            if literal is None:
                self.always.append(compiled)
            else:
                self.guarded.append((literal, compiled))

    def search(self, sentence: str) -> bool:
        """Whether any cue matches in the sentence (as searching for their alternation would say)."""
        return any(p.search(sentence) for lit, p in self.guarded if lit in sentence) or any(
            p.search(sentence) for p in self.always)


@lru_cache(maxsize=1)
def _rules() -> tuple[_Cues, int, int, float, frozenset[str]]:
    data = load_yaml("lexicon", "furniture.yaml")
    cues = _Cues(list(data["cues"]))
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
