"""Analyst decisions about actors (merge, split, alias), as rules the resolver applies to every new mention.

The store keeps each decision as a record (store.overrides); this module only turns the records, in the
order they were made, into two maps that are cheap to consult once per mention:

- redirects: an id merged away -> its survivor (chains followed), so the dictionary or the store naming
  the old actor lands on the survivor;
- name rules: a normalised name -> the actor it now means. Rules from `split` and `alias` are *strong*:
  they win over the dictionary and the store, because the analyst said what that name means. The names a
  merged actor had become *weak* rules: they only claim a mention the resolver would give to an actor
  found in text, so a fresh store built in another order still lands those names on the survivor.

The latest applicable rule for a name decides, so a later decision can undo an earlier one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newsgraph.extract.dictionary import ActorDictionary
from newsgraph.model import Mention
from newsgraph.resolve.actors import EntityRecord, family
from newsgraph.text import norm_key

OPS = ("merge", "split", "alias")


@dataclass(frozen=True)
class NameRule:
    target: str
    family: str  # the rule applies to mentions of this type family ...
    source: str | None  # ... or, for a split, to whatever would resolve to the actor the name was taken from
    strong: bool


@dataclass
class Overrides:
    redirects: dict[str, str] = field(default_factory=dict)
    rules: dict[str, list[NameRule]] = field(default_factory=dict)  # norm_key(name) -> rules, oldest first
    targets: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, type), to create it
    given: dict[str, list[str]] = field(default_factory=dict)  # id -> names split or aliased to it

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Overrides:
        ov = cls()
        for rec in records:
            ov.add(rec)
        return ov

    def __bool__(self) -> bool:
        return bool(self.redirects or self.rules)

    def add(self, rec: Mapping[str, Any]) -> None:
        """One decision: {op, target: {id, name, type}, source: {id, ...} | None, aliases: [names]}."""
        op, target, source = rec["op"], rec["target"], rec.get("source")
        self.targets.setdefault(target["id"], (target["name"], target["type"]))
        fam = family(target["type"])
        if op == "merge":
            if self.survivor(target["id"]) != source["id"]:  # never a cycle
                self.redirects[source["id"]] = target["id"]
            rule = NameRule(target["id"], family(source["type"]), None, strong=False)
        elif op == "split":
            rule = NameRule(target["id"], fam, source["id"], strong=True)
        elif op == "alias":
            rule = NameRule(target["id"], fam, None, strong=True)
        else:
            raise ValueError(f"unknown override {op!r}: expected one of {', '.join(OPS)}")
        for name in rec.get("aliases") or []:
            self.rules.setdefault(norm_key(name), []).append(rule)
            if rule.strong:
                self.given.setdefault(target["id"], []).append(name)

    def survivor(self, entity_id: str) -> str:
        seen = 0
        while entity_id in self.redirects and seen < 100:
            entity_id, seen = self.redirects[entity_id], seen + 1
        return entity_id

    def _strong(self, key: str, fam: str | None, base: str | None) -> NameRule | None:
        for rule in reversed(self.rules.get(key, ())):
            if rule.strong and (rule.family == fam or (rule.source and self.survivor(rule.source) == base)):
                return rule
        return None

    def resolve(self, m: Mention, base: str, dictionary: ActorDictionary) -> tuple[str, list[str] | None]:
        """The id this mention goes to, and the names to record as its aliases (None: its text and name)."""
        base = self.survivor(base)
        fam = family(m.label)
        names = [m.text] + ([m.name] if m.name and m.name != m.text else [])
        for name in names:
            rule = self._strong(norm_key(name), fam, base)
            if rule is not None:
                return self.survivor(rule.target), [name]  # not the dictionary name it was tagged with
        if base not in dictionary.actors:
            for name in reversed(names):  # the resolution key first
                for rule in reversed(self.rules.get(norm_key(name), ())):
                    if not rule.strong and rule.family == fam:
                        return self.survivor(rule.target), None
        return base, None

    def role_actor(self, text: str, actor: str | None, dictionary: ActorDictionary) -> str | None:
        """An actor the dictionary gave a role directly ('the president' by date), after the decisions."""
        if actor is None:
            return None
        base = self.survivor(actor)
        known = dictionary.actors.get(base)
        fam = family(known.type) if known else None
        rule = self._strong(norm_key(text), fam, base)
        return self.survivor(rule.target) if rule else base

    def record(self, entity_id: str, dictionary: ActorDictionary) -> EntityRecord | None:
        """A decision's actor found in text, created as the analyst named it (a fresh store)."""
        if entity_id in dictionary.actors or entity_id not in self.targets:
            return None
        name, type_ = self.targets[entity_id]
        return EntityRecord(entity_id, name, type_, "text")

    def adjust(self, rec: EntityRecord) -> None:
        """Names a decision gave this actor are its aliases; names it gave another actor are not, even when
        the dictionary lists them."""
        for alias in list(rec.aliases):
            rule = self._strong(norm_key(alias), family(rec.type), rec.id)
            if rule is not None and self.survivor(rule.target) != rec.id:
                del rec.aliases[alias]
        for name in self.given.get(rec.id, ()):
            rule = self._strong(norm_key(name), family(rec.type), rec.id)
            if rule is not None and self.survivor(rule.target) == rec.id:
                rec.aliases.setdefault(name, "user")
