"""The gazetteer's answers remembered per name: articles name the same places again and again.

A wrapper rather than a change to the Gazetteer class, whose source is part of its pickle cache's key.
"""

from __future__ import annotations

from typing import Any

from newsgraph.extract.gazetteer import GazEntry, Gazetteer

MEMO_SIZE = 1 << 16  # names remembered; the memo starts afresh when full


class MemoGazetteer:
    """A Gazetteer (never changed after loading) whose lookups are computed once per name."""

    def __init__(self, gazetteer: Gazetteer, size: int = MEMO_SIZE) -> None:
        self.gazetteer = gazetteer
        self.size = size
        self._ranked: dict[tuple[str, bool], tuple[tuple[GazEntry, int], ...]] = {}

    def lookup_ranked(self, name: str, fuzzy: bool = True) -> list[tuple[GazEntry, int]]:
        key = (name, fuzzy)
        found = self._ranked.get(key)
        if found is None:
            if len(self._ranked) >= self.size:
                self._ranked.clear()
            found = self._ranked[key] = tuple(self.gazetteer.lookup_ranked(name, fuzzy))
        return list(found)  # entries are frozen; the list is the caller's own

    def lookup(self, name: str, fuzzy: bool = True) -> list[GazEntry]:
        return [e for e, _ in self.lookup_ranked(name, fuzzy)]

    def __len__(self) -> int:
        return len(self.gazetteer)

    def __getattr__(self, attr: str) -> Any:  # country(), entry() and the rest, as they are
        if attr == "gazetteer":  # not set yet (unpickling): no recursion
            raise AttributeError(attr)
        return getattr(self.gazetteer, attr)
