"""Event mentions to events: one event however many sentences and articles state it."""

from __future__ import annotations

import hashlib

from newsgraph.model import Event, Extraction
from newsgraph.text import norm_key


def event_id(doc_id: str, ev: Event) -> str:
    raw = f"{doc_id}|{ev.start}|{ev.type}|{ev.trigger}|{ev.source and ev.source.start}|{ev.target and ev.target.start}"
    return "v" + hashlib.sha1(raw.encode()).hexdigest()[:15]


def _role_key(role, entity_ids: list[str]) -> str:
    if role is None:
        return "-"
    if role.mention is not None:
        return entity_ids[role.mention]
    return norm_key(role.text)


def in_document_key(ev: Event, extraction: Extraction, entity_ids: list[str]) -> str:
    """Repeats inside one article share this key: the headline and the lead, a duplicated caption, a quote
    restating what the body said. Same type, same participants, same date, same polarity.

    With neither participant named the sentence must repeat too: two 'rebels attacked' are two attacks.
    """
    src, tgt = _role_key(ev.source, entity_ids), _role_key(ev.target, entity_ids)
    if ev.type in {"CONSULT", "COOPERATE", "AGREE"}:
        src, tgt = sorted((src, tgt))
    named = any(r is not None and r.mention is not None for r in (ev.source, ev.target))
    sentence = "" if named else norm_key(extraction.sentence_text(ev.sentence))
    return "|".join([ev.type, src, tgt, str(ev.negated), ev.date or "", sentence])


def signature(ev: Event, entity_ids: list[str]) -> str | None:
    """Reports of the same event across articles: same type, both actors known, same stated day.

    Conservative on purpose: a false merge hides an event from the analyst, a missed one only repeats it.
    """
    if ev.source is None or ev.target is None or ev.source.mention is None or ev.target.mention is None:
        return None
    if not ev.date_text or ev.date_precision != "day":
        return None
    src, tgt = entity_ids[ev.source.mention], entity_ids[ev.target.mention]
    if ev.type in {"CONSULT", "COOPERATE", "AGREE"}:
        src, tgt = sorted((src, tgt))
    raw = f"{ev.type}|{src}|{tgt}|{ev.negated}|{ev.date}"
    return "s" + hashlib.sha1(raw.encode()).hexdigest()[:15]
