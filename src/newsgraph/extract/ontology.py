"""The PLOVER ontology and trigger lexicon, read from package data."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from newsgraph.resources import load_yaml

ARTICLES = {"a", "an", "the"}
DEFAULT_PREPS = ("with", "against", "on", "to")


@dataclass(frozen=True)
class Trigger:
    type: str
    mode: str | None = None
    preps: tuple[str, ...] = DEFAULT_PREPS
    words: tuple[str, ...] = field(default_factory=tuple)  # for phrases: lemmas after (verbs) or before (nouns)
    objects: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # object lemma -> type
    topic: bool = False  # the object is what is talked about, not a participant ("discussed the border")
    weak: bool = False  # a generic noun ("operations") that states an event only with an actor or aspect
    needs_target: bool = False  # an event only with a named target ("warned Iran")
    needs_object: bool = False  # an event only with a direct object ("returned the bodies")
    subjects: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # subject lemma -> type


def _trigger(entry: str | dict, words: tuple[str, ...] = ()) -> Trigger:
    if isinstance(entry, str):
        return Trigger(type=entry, words=words)
    preps = tuple(entry.get("preps") or DEFAULT_PREPS)
    objects: dict[str, str] = {}
    for kind, lemmas in (entry.get("objects") or {}).items():
        for lemma in lemmas:
            objects[lemma] = kind
    subjects: dict[str, str] = {}
    for kind, lemmas in (entry.get("subjects") or {}).items():
        for lemma in lemmas:
            subjects[lemma] = kind
    return Trigger(type=entry["type"], mode=entry.get("mode"), preps=preps, words=words, objects=objects,
                   topic=bool(entry.get("topic")), weak=bool(entry.get("weak")),
                   needs_target=bool(entry.get("needs_target")), needs_object=bool(entry.get("needs_object")),
                   subjects=subjects)


@dataclass
class Ontology:
    types: dict[str, dict]
    quad_names: dict[int, str]
    verbs: dict[str, Trigger]
    nouns: dict[str, Trigger]
    phrases: dict[str, list[Trigger]]  # head lemma -> phrase triggers starting with it
    irregular: dict[str, str]  # inflected form -> lemma, where the model's lemmatizer fails
    noun_phrases: dict[str, list[Trigger]] = field(default_factory=dict)  # head noun -> "hunger strike"
    light_verbs: frozenset[str] = frozenset()  # "launch", "stage": the object noun names the event
    agents: frozenset[str] = frozenset()  # generic participants: "demonstrators", "troops"
    commitment_words: frozenset[str] = frozenset()  # "willing to", "offered to": a commitment
    request_frames: frozenset[str] = frozenset()  # "said that X must": a request
    adjectives: dict[str, Trigger] = field(default_factory=dict)  # "remains loyal to Iran"
    aspectual: frozenset[str] = frozenset()  # "the offensive began": verbs that state their subject happened
    non_state_agents: frozenset[str] = frozenset()  # "Iraqi militias" are not Iraq
    unreal_frames: frozenset[str] = frozenset()  # "fear that X", "possibility of X": X is not asserted

    def lemma(self, lemma: str, lower: str) -> str:
        return self.irregular.get(lower, lemma)

    def cameo(self, event_type: str) -> str | None:
        return self.types.get(event_type, {}).get("cameo")

    def quad(self, event_type: str) -> int | None:
        return self.types.get(event_type, {}).get("quad")


@cache
def load_ontology() -> Ontology:
    plover = load_yaml("ontology", "plover.yaml")
    lexicon = load_yaml("ontology", "triggers.yaml")
    types = plover["types"]
    verbs = {k: _trigger(v) for k, v in lexicon["verbs"].items()}
    nouns = {k: _trigger(v) for k, v in lexicon["nouns"].items()}
    phrases: dict[str, list[Trigger]] = {}
    for entry in lexicon["phrases"]:
        words = [w for w in entry["text"].split() if w not in ARTICLES]
        phrases.setdefault(words[0], []).append(_trigger(entry, tuple(words[1:])))
    for options in phrases.values():
        options.sort(key=lambda t: -len(t.words))  # "take a step back" before "take back"
    for trig in [*verbs.values(), *nouns.values(), *(t for ts in phrases.values() for t in ts)]:
        if trig.type not in types:
            raise ValueError(f"trigger lexicon names unknown PLOVER type {trig.type}")
    noun_phrases: dict[str, list[Trigger]] = {}
    for entry in lexicon.get("noun_phrases") or []:
        words = [w for w in entry["text"].split() if w not in ARTICLES]
        noun_phrases.setdefault(words[-1], []).append(_trigger(entry, tuple(words[:-1])))
    for trig in [t for ts in noun_phrases.values() for t in ts]:
        if trig.type not in types:
            raise ValueError(f"trigger lexicon names unknown PLOVER type {trig.type}")
    quads = {int(k): v for k, v in plover["quad_names"].items()}
    return Ontology(types, quads, verbs, nouns, phrases, dict(lexicon.get("irregular") or {}), noun_phrases,
                    frozenset(lexicon.get("light_verbs") or []), frozenset(lexicon.get("agents") or []),
                    frozenset(lexicon.get("commitment_words") or []), frozenset(lexicon.get("request_frames") or []),
                    {k: _trigger(v) for k, v in (lexicon.get("adjectives") or {}).items()},
                    frozenset(lexicon.get("aspectual") or []), frozenset(lexicon.get("non_state_agents") or []),
                    frozenset(lexicon.get("unreal_frames") or []))
