"""PLOVER events from the dependency parse: trigger lexicon, roles, modality, date and place.

Precision first: a trigger becomes an event only when at least one participant is found.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from newsgraph.extract.ontology import Ontology, Trigger, load_ontology
from newsgraph.model import Event, Mention, Place, Role, Timex
from newsgraph.resources import load_yaml

SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "obj"}
CLAUSE_LINKS = {"xcomp", "conj", "advcl", "relcl", "acl", "ccomp", "pcomp"}


@dataclass(frozen=True)
class Modality:
    negation: frozenset[str]
    hedge_adverbs: frozenset[str]
    modals: frozenset[str]
    hedge_verbs: frozenset[str]
    hedge_adjectives: frozenset[str]
    reporting: frozenset[str]
    anaphors: frozenset[str]


@cache
def load_modality() -> Modality:
    data = load_yaml("lexicon", "modality.yaml")
    h = data["hedges"]
    return Modality(
        frozenset(data["negation"]),
        frozenset(h["adverbs"]),
        frozenset(h["modals"]),
        frozenset(h["verbs"]),
        frozenset(h["adjectives"]),
        frozenset(data["reporting_verbs"]),
        frozenset(data["anaphors"]),
    )


class MentionIndex:
    """Token -> actor mention lookups for one Doc."""

    def __init__(self, doc: Doc, mentions: list[Mention]):
        self.mentions = mentions
        self.by_token: dict[int, int] = {}
        for i, m in enumerate(mentions):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for tok in span:
                self.by_token.setdefault(tok.i, i)

    def at(self, token: Token) -> int | None:
        return self.by_token.get(token.i)

    def in_phrase(self, head: Token) -> int | None:
        """The mention heading a noun phrase, else the first inside its pre-modifiers or of-phrase."""
        found = self.at(head)
        if found is not None:
            return found
        for child in head.children:
            if child.dep_ in {"compound", "amod", "poss", "nmod"} and self.at(child) is not None:
                return self.at(child)
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in {"of", "from"}:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return self.in_phrase(pobj)
        return None

    def last_before(self, char: int, labels: set[str]) -> int | None:
        best = None
        for i, m in enumerate(self.mentions):
            if m.end <= char and m.label in labels:
                best = i
        return best


def _phrase_span(head: Token) -> tuple[int, int, str]:
    """The words of a participant: its noun phrase without relative clauses or trailing appositions."""
    keep = [t for t in head.subtree if not _inside_clause(t, head)]
    start = min(t.idx for t in keep)
    last = max(keep, key=lambda t: t.i)
    end = last.idx + len(last.text)
    doc = head.doc
    span = doc.char_span(start, end, alignment_mode="expand")
    text = span.text if span is not None else head.text
    return start, end, text


def _inside_clause(tok: Token, head: Token) -> bool:
    node = tok
    while node != head and node.head != node:
        if node.dep_ in {"relcl", "acl", "appos", "punct", "cc", "conj", "prep"} and node.head == head:
            return True
        node = node.head
    return False


class EventExtractor:
    def __init__(self, ontology: Ontology | None = None):
        self.ontology = ontology or load_ontology()
        self.modality = load_modality()

    # -- triggers ---------------------------------------------------------------------------------
    def trigger_of(self, tok: Token) -> Trigger | None:
        lemma = self.ontology.lemma(tok.lemma_.lower(), tok.lower_)
        if tok.pos_ in {"VERB", "AUX"} or tok.tag_.startswith("VB"):
            for phrase in self.ontology.phrases.get(lemma, []):
                if self._phrase_matches(tok, phrase.words):
                    return phrase
            if tok.pos_ == "VERB":
                return self.ontology.verbs.get(lemma)
            return None
        if tok.pos_ in {"NOUN", "PROPN"}:
            trig = self.ontology.nouns.get(tok.lower_) or self.ontology.nouns.get(lemma)
            if trig is None:
                return None
            head = tok.head
            if head != tok and head.pos_ == "VERB" and self.trigger_of(head) is not None:
                return None  # "held talks", "launched an assault": the verb carries the event
            return trig
        return None

    @staticmethod
    def _phrase_matches(head: Token, words: tuple[str, ...]) -> bool:
        if not words:
            return True
        following = [t.lemma_.lower() for t in head.doc[head.i + 1 : head.i + 1 + 2 * len(words) + 2]]
        pos = 0
        for lemma in following:
            if lemma == words[pos]:
                pos += 1
                if pos == len(words):
                    return True
        return False

    # -- roles ------------------------------------------------------------------------------------
    def _role(self, head: Token, index: MentionIndex) -> Role:
        start, end, text = _phrase_span(head)
        mention = index.in_phrase(head)
        if mention is None:
            mention = self._anaphor(head, index)
        return Role(text=text, start=start, end=end, mention=mention)

    def _anaphor(self, head: Token, index: MentionIndex) -> int | None:
        """'the group', 'the delegation', 'he', 'they': the nearest earlier compatible mention."""
        if head.pos_ == "PRON":
            lower = head.lower_
            if lower in {"he", "she", "him", "her"}:
                return index.last_before(head.idx, {"PERSON"})
            if lower in {"they", "them", "it"}:
                return index.last_before(head.idx, {"ORG", "GPE"})
            return None
        if head.lemma_.lower() in self.modality.anaphors and any(
            c.lower_ in {"the", "this", "that", "its", "their"} for c in head.children
        ):
            doc = head.doc
            for tok in reversed(doc[: head.i]):
                if tok.lemma_ == head.lemma_ and tok.i != head.i:
                    found = index.in_phrase(tok)
                    if found is not None:
                        return found
            return index.last_before(head.idx, {"ORG"})
        return None

    def _subject(self, verb: Token) -> tuple[Token | None, bool]:
        """The verb's subject, climbing through xcomp/conj chains; second value: passive voice."""
        node = verb
        for _ in range(4):
            for child in node.children:
                if child.dep_ in SUBJECT_DEPS:
                    return child, False
                if child.dep_ in PASSIVE_SUBJECT_DEPS:
                    return child, True
            if node.dep_ in {"xcomp", "conj", "acomp"} and node.head != node:
                node = node.head
                continue
            if node.dep_ in {"relcl", "acl"} and node.head != node:
                return node.head, node.tag_ == "VBN"
            break
        return None, False

    def _prep_object(self, head: Token, preps: tuple[str, ...]) -> Token | None:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return pobj
        return None

    def _verb_roles(self, verb: Token, trig: Trigger) -> tuple[Token | None, Token | None]:
        subj, passive = self._subject(verb)
        agent = None
        for child in verb.children:
            if child.dep_ == "agent":
                agent = next((c for c in child.children if c.dep_ == "pobj"), None)
        obj = next((c for c in verb.children if c.dep_ in OBJECT_DEPS), None)
        if passive:
            return agent, subj
        if obj is not None and obj.pos_ in {"NOUN", "PROPN"} and self.ontology.nouns.get(obj.lower_):
            obj = self._prep_object(obj, trig.preps) or obj  # "launched an assault on X"
        target = obj if obj is not None else self._prep_object(verb, trig.preps)
        return subj, target

    def _noun_roles(self, noun: Token, trig: Trigger) -> tuple[Token | None, Token | None]:
        source = None
        for child in noun.children:
            if child.dep_ in {"poss", "compound", "amod", "nmod"} and child.pos_ in {"PROPN", "NOUN", "ADJ"}:
                source = child
                break
        if source is None and noun.dep_ in OBJECT_DEPS:  # "X held a meeting with Y"
            source, _ = self._subject(noun.head)
        target = self._prep_object(noun, trig.preps)
        return source, target

    # -- modality ---------------------------------------------------------------------------------
    def _negated(self, tok: Token) -> bool:
        for child in tok.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return True
        node = tok
        while node.dep_ in {"xcomp", "conj"} and node.head != node:
            node = node.head
            if any(c.dep_ == "neg" for c in node.children):
                return True
        return False

    def _hedged(self, tok: Token, sent: Span) -> bool:
        m = self.modality
        if any(t.lower_ in m.hedge_adverbs for t in sent):
            return True
        node = tok
        for _ in range(5):
            for child in node.children:
                if child.dep_ == "aux" and child.lower_ in m.modals:
                    return True
                if child.dep_ == "advmod" and child.lower_ in m.hedge_adverbs:
                    return True
            head = node.head
            if head == node:
                break
            if node.dep_ in {"xcomp", "acomp", "ccomp", "advcl"} and (
                head.lemma_.lower() in m.hedge_verbs or head.lower_ in m.hedge_adjectives
            ):
                return True
            if node.dep_ == "xcomp" and head.dep_ == "acomp" and head.lower_ in m.hedge_adjectives:
                return True
            node = head
        return False

    def _attribution(self, tok: Token, sent: Span) -> str | None:
        node = tok
        while node.head != node:
            parent = node.head
            if parent.lemma_.lower() in self.modality.reporting and parent != tok:
                subj = next((c for c in parent.children if c.dep_ in SUBJECT_DEPS), None)
                if subj is not None:
                    return _phrase_span(subj)[2]
            node = parent
        for t in sent:
            if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
                pobj = next((c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return _phrase_span(pobj)[2]
        return None

    # -- when and where ---------------------------------------------------------------------------
    @staticmethod
    def _date(trigger: Token, sent: Span, timexes: list[Timex]) -> Timex | None:
        inside = [t for t in timexes if sent.start_char <= t.start < sent.end_char and t.value]
        if not inside:
            return None
        subtree = {t.idx for t in trigger.subtree}
        attached = [t for t in inside if any(t.start <= i < t.end for i in subtree)]
        pool = attached or inside
        return min(pool, key=lambda t: abs(t.start - trigger.idx))

    @staticmethod
    def _place(trigger: Token, sent: Span, places: list[tuple[int, Place]]) -> int | None:
        inside = [(i, p) for i, p in places if sent.start_char <= p.start < sent.end_char and p.lat is not None]
        if not inside:
            return None
        subtree = {t.idx for t in trigger.subtree}
        attached = [(i, p) for i, p in inside if any(p.start <= x < p.end for x in subtree)]
        pool = attached or inside
        return min(pool, key=lambda ip: abs(ip[1].start - trigger.idx))[0]

    # -- main -------------------------------------------------------------------------------------
    def extract(
        self,
        doc: Doc,
        mentions: list[Mention],
        timexes: list[Timex],
        places: list[Place],
        published: str | None,
        sentence_index: dict[int, int],
    ) -> list[Event]:
        index = MentionIndex(doc, mentions)
        indexed_places = list(enumerate(places))
        events: list[Event] = []
        for sent in doc.sents:
            for tok in sent:
                trig = self.trigger_of(tok)
                if trig is None:
                    continue
                if tok.pos_ in {"NOUN", "PROPN"}:
                    src_tok, tgt_tok = self._noun_roles(tok, trig)
                else:
                    src_tok, tgt_tok = self._verb_roles(tok, trig)
                source = self._role(src_tok, index) if src_tok is not None else None
                target = self._role(tgt_tok, index) if tgt_tok is not None else None
                if not _has_actor(source) and not _has_actor(target):
                    continue
                timex = self._date(tok, sent, timexes)
                date, date_text = (timex.value, timex.text) if timex else (published, None)
                hedged = self._hedged(tok, sent)
                confidence = 0.4 + 0.25 * _has_actor(source) + 0.25 * _has_actor(target) - 0.15 * hedged
                events.append(
                    Event(
                        type=trig.type,
                        trigger=tok.text,
                        sentence=sentence_index[sent.start],
                        start=sent.start_char,
                        end=sent.end_char,
                        source=source,
                        target=target,
                        mode=trig.mode,
                        cameo=self.ontology.cameo(trig.type),
                        negated=self._negated(tok),
                        hedged=hedged,
                        attribution=self._attribution(tok, sent),
                        date=date,
                        date_precision=precision_of(date),
                        date_text=date_text,
                        location=self._place(tok, sent, indexed_places),
                        confidence=round(max(0.05, min(confidence, 0.99)), 2),
                    )
                )
        return events


def _has_actor(role: Role | None) -> bool:
    return role is not None and role.mention is not None


def precision_of(value: str | None) -> str | None:
    if not value:
        return None
    if "W" in value:
        return "week"
    parts = value.split("-")
    if len(parts) >= 3:
        return "day"
    if len(parts) == 2:
        return "month" if parts[1].isdigit() else "season"
    return "year"
