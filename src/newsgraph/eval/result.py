"""Score containers: every figure keeps numerator and denominator so 0/0 reads as n/a, not 1.0."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class Figure:
    """A ratio num/den; `value` is None when nothing was scorable."""

    num: int = 0
    den: int = 0

    @property
    def value(self) -> float | None:
        return self.num / self.den if self.den else None

    def add(self, ok: bool) -> None:
        """Count one scored item."""
        self.den += 1
        self.num += int(ok)


LABELS: dict[str, str] = {
    "documents": "documents matched",
    "event_recall": "event recall",
    "event_precision": "event precision",
    "duplicates": "duplicate events (share)",
    "event_date": "event date accuracy",
    "event_location": "event location accuracy",
    "timex": "timex accuracy",
    "places": "place accuracy",
    "relation_recall": "relation recall",
    "relation_precision": "relation precision",
    "entity_recall": "entity recall",
    "entity_consistency": "cross-document consistency",
}


@dataclass
class Report:
    """All figures of one `newsgraph eval` run plus one human-readable line per miss."""

    documents: Figure = field(default_factory=Figure)
    event_recall: Figure = field(default_factory=Figure)
    event_precision: Figure = field(default_factory=Figure)
    duplicates: Figure = field(default_factory=Figure)
    event_date: Figure = field(default_factory=Figure)
    event_location: Figure = field(default_factory=Figure)
    timex: Figure = field(default_factory=Figure)
    places: Figure = field(default_factory=Figure)
    relation_recall: Figure = field(default_factory=Figure)
    relation_precision: Figure = field(default_factory=Figure)
    entity_recall: Figure = field(default_factory=Figure)
    entity_consistency: Figure = field(default_factory=Figure)
    misses: list[str] = field(default_factory=list)

    def figures(self) -> list[tuple[str, Figure]]:
        """(key, figure) pairs in display order."""
        return [(f.name, getattr(self, f.name)) for f in fields(self) if f.name != "misses"]
