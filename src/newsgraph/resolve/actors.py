"""Mentions to stable actor ids: the dictionary first, then names already in the store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsgraph.extract.dictionary import Actor, ActorDictionary
from newsgraph.model import Extraction, Mention
from newsgraph.text import norm_key

if TYPE_CHECKING:
    from newsgraph.resolve.overrides import Overrides

FAMILIES = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "group", "NORP": "group"}


def family(label: str) -> str:
    return FAMILIES.get(label, "group")


@dataclass
class EntityRecord:
    id: str
    name: str
    type: str
    origin: str  # dictionary | text
    country: str | None = None
    sector: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> origin


# Given a name and a type family, the ids of stored entities known by it.
AliasLookup = Callable[[str, str], list[str]]


def text_entity_id(name: str, label: str) -> str:
    digest = hashlib.sha1(f"{family(label)}|{norm_key(name)}".encode()).hexdigest()[:12]
    return f"x{digest}"


def resolve_mentions(
    extraction: Extraction, dictionary: ActorDictionary, lookup: AliasLookup, overrides: Overrides | None = None
) -> tuple[list[str], dict[str, EntityRecord]]:
    """The entity id of each mention, and the entity records (with aliases) this document touches.

    overrides: the analyst's merge / split / alias decisions, applied after the dictionary and the store.
    """
    ids: list[str] = []
    records: dict[str, EntityRecord] = {}
    for m in extraction.mentions:
        entity_id = _resolve_one(m, lookup)
        names = None
        if overrides:
            entity_id, names = overrides.resolve(m, entity_id, dictionary)
        ids.append(entity_id)
        rec = records.get(entity_id)
        if rec is None:
            rec = (overrides.record(entity_id, dictionary) if overrides else None) or _record(entity_id, m, dictionary)
            records[entity_id] = rec
        for name in names if names is not None else [m.text, m.name]:
            if name:
                rec.aliases.setdefault(name, "text")
    if overrides:
        for rec in records.values():
            overrides.adjust(rec)
    return ids, records


def _resolve_one(m: Mention, lookup: AliasLookup) -> str:
    if m.actor_id:
        return m.actor_id
    name = m.name or m.text
    known = lookup(name, family(m.label))
    if len(known) == 1:
        return known[0]
    return text_entity_id(name, m.label)


def dictionary_record(actor: Actor) -> EntityRecord:
    rec = EntityRecord(actor.id, actor.name, actor.type, "dictionary", actor.country, actor.sector)
    for alias in ActorDictionary.surface_forms(actor) + actor.adjectives:
        rec.aliases[alias] = "dictionary"
    return rec


def _record(entity_id: str, m: Mention, dictionary: ActorDictionary) -> EntityRecord:
    actor = dictionary.actors.get(entity_id)
    if actor is not None:
        return dictionary_record(actor)
    return EntityRecord(entity_id, m.name or m.text, m.label, "text", m.country)
