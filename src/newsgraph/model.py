"""Plain data passed between stages: sources -> clean -> extract -> resolve -> store.

Every stage reads the previous stage's dataclasses and nothing else, so each can run in another
process or on another machine (engine) and be tested alone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawDocument:
    """What a reader yields: bytes or text plus whatever metadata the container carried."""

    key: str  # path relative to the ingested folder, or the id field of a row
    source: str  # path or URL it was read from
    data: bytes | str
    fmt: str  # txt, md, html, json, jsonl, csv
    meta: dict[str, Any] = field(default_factory=dict)  # title, published, url, outlet, author

    def fingerprint(self) -> str:
        """What was read, as a hash: the same bytes or text in the same format with the same metadata."""
        data = self.data if isinstance(self.data, bytes) else self.data.encode("utf-8", "surrogatepass")
        head = json.dumps([self.fmt, self.meta], sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(head.encode("utf-8", "surrogatepass") + b"\0" + data).hexdigest()


@dataclass
class SourceError:
    """A document that could not be read; reported by name with a specific reason."""

    key: str
    source: str
    reason: str


@dataclass
class Unchanged:
    """An input stored before and not changed since (a file or row read again byte for byte, a feed item or
    listed URL the fetch cache shows unchanged): not processed again."""

    key: str
    source: str


@dataclass
class Document:
    """A cleaned article: main text and metadata, ready for language processing."""

    key: str
    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None  # ISO at its real precision
    published_from: str | None = None  # text, metadata, user, inferred
    language: str = "en"
    sha256: str = ""
    # clean-text offset -> source offset, as sorted (clean_start, source_start, length) runs
    offset_map: list[tuple[int, int, int]] = field(default_factory=list)
    raw_sha256: str | None = None  # RawDocument.fingerprint of the input it was cleaned from

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Mention:
    """An actor mention in the clean text, with the key used to resolve it across documents."""

    text: str
    start: int
    end: int
    label: str  # PERSON, ORG, GPE, LOC, NORP ...
    sentence: int  # index into Extraction.sentences
    actor_id: str | None = None  # dictionary id when known
    name: str | None = None  # canonical name when known
    country: str | None = None


@dataclass
class Timex:
    text: str
    start: int
    end: int
    value: str | None  # TimeML-style at real precision, or None when it cannot be anchored
    anchor: str | None
    precision: str | None = None  # day, week, month, season, quarter, year, decade


@dataclass
class Place:
    text: str
    start: int
    end: int
    name: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: str | None
    feature: str | None  # GeoNames feature class/code, e.g. P.PPLA, A.PCLI, A.ADM1
    qualifier: str | None = None  # the words that place it relative to the toponym: "southwest of", "east"


@dataclass
class Role:
    """A participant of an event or relation: the words, and the mention they resolve to."""

    text: str
    start: int
    end: int
    mention: int | None = None  # index into Extraction.mentions
    actor: str | None = None  # actor id the dictionary gives this role (overrides the mention's)


@dataclass
class Event:
    type: str
    trigger: str
    sentence: int
    start: int  # sentence offsets in the clean text
    end: int
    source: Role | None
    target: Role | None
    mode: str | None = None
    context: str | None = None
    cameo: str | None = None
    negated: bool = False
    hedged: bool = False
    attribution: str | None = None
    date: str | None = None
    date_precision: str | None = None
    date_text: str | None = None
    location: int | None = None  # index into Extraction.places
    confidence: float = 0.5


@dataclass
class Relation:
    subject: Role
    relation: str  # leader_of, member_of, spokesperson_of, backed_by, allied_with
    object: Role
    sentence: int
    start: int
    end: int
    valid_from: str | None = None
    valid_to: str | None = None


@dataclass
class Extraction:
    """Everything the extract stage found in one document."""

    document: Document
    sentences: list[tuple[int, int]] = field(default_factory=list)  # (start, end) in clean text
    mentions: list[Mention] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def sentence_text(self, index: int) -> str:
        start, end = self.sentences[index]
        return self.document.text[start:end]
