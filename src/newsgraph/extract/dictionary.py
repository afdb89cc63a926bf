"""The actor dictionary: YAML records (package data plus user files) indexed for the ruler and resolver."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from newsgraph.resources import data_path
from newsgraph.text import norm_key


@dataclass
class Actor:
    id: str
    name: str
    type: str
    country: str | None = None
    sector: str | None = None
    aliases: list[str] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)
    capital: str | None = None
    # names that mean this actor only in an article about its country ("government forces")
    context_aliases: list[str] = field(default_factory=list)
    affiliations: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    valid: dict[str, Any] = field(default_factory=dict)


class DictionaryError(ValueError):
    pass


def _read(path: Path) -> list[Actor]:
    try:
        records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise DictionaryError(f"{path}: cannot read actor file: {exc}") from exc
    if not isinstance(records, list):
        raise DictionaryError(f"{path}: an actor file is a YAML list of records")
    actors = []
    for i, rec in enumerate(records):
        if not isinstance(rec, dict) or not rec.get("id") or not rec.get("name") or not rec.get("type"):
            raise DictionaryError(f"{path}: record {i + 1} needs id, name and type")
        known = {k: rec[k] for k in Actor.__dataclass_fields__ if k in rec}
        known["id"] = str(known["id"])
        for key in ("aliases", "adjectives", "context_aliases"):
            known[key] = [str(a) for a in known.get(key) or []]
        actors.append(Actor(**known))
    return actors


class ActorDictionary:
    """All known actors with an index from normalised alias to actor ids."""

    def __init__(self, actors: Iterable[Actor]):
        self.actors: dict[str, Actor] = {}
        for actor in actors:
            if actor.id in self.actors:  # a later file extends or overrides an earlier one
                base = self.actors[actor.id]
                actor.aliases = list(dict.fromkeys(base.aliases + actor.aliases))
            self.actors[actor.id] = actor
        self._typed: dict[str, dict[str, list[str]]] | None = None
        self.by_alias: dict[str, list[str]] = {}
        for actor in self.actors.values():
            for alias in self.surface_forms(actor):
                ids = self.by_alias.setdefault(norm_key(alias), [])
                if actor.id not in ids:
                    ids.append(actor.id)

    @staticmethod
    def surface_forms(actor: Actor) -> list[str]:
        return list(dict.fromkeys([actor.name, *actor.aliases]))

    @classmethod
    def load(cls, extra_dirs: Iterable[str] = ()) -> ActorDictionary:
        files = sorted(data_path("actors").glob("*.yaml"))
        for d in extra_dirs:
            p = Path(d)
            if not p.exists():
                raise DictionaryError(f"{p}: actor directory does not exist")
            files += sorted(p.glob("*.yaml")) + sorted(p.glob("*.yml")) if p.is_dir() else [p]
        actors: list[Actor] = []
        for f in files:
            actors.extend(_read(f))
        return cls(actors)

    def lookup(self, text: str) -> list[Actor]:
        return [self.actors[i] for i in self.by_alias.get(norm_key(text), [])]

    def fuzzy(self, text: str, actor_type: str, cutoff: float = 90.0) -> Actor | None:
        """A misspelt name ('Abu Madhi al-Muhandis'): one close alias of the same type, sharing its last word.

        Safeguards: long enough names only, the same type, and the last word (a surname, a group's head noun)
        must agree at its first letter, so two people sharing a surname stay two people.
        """
        key = norm_key(text)
        if len(key) < 8 or actor_type not in {"PERSON", "ORG"}:
            return None
        choices = self._by_type().get(actor_type, {})
        found = process.extractOne(key, choices.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
        if found is None:
            return None
        alias = found[0]
        if alias.split()[-1][:1] != key.split()[-1][:1] or len(alias.split()) != len(key.split()):
            return None
        ids = choices[alias]
        return self.actors[ids[0]] if len(ids) == 1 else None

    def _by_type(self) -> dict[str, dict[str, list[str]]]:
        if self._typed is None:
            typed: dict[str, dict[str, list[str]]] = {}
            for key, ids in self.by_alias.items():
                for i in ids:
                    typed.setdefault(self.actors[i].type, {}).setdefault(key, []).append(i)
            self._typed = typed
        return self._typed
