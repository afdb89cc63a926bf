"""PLOVER events from the dependency parse: trigger lexicon, roles, modality, date and place.

Precision first: a trigger becomes an event only when at least one participant is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.attrs import LEMMA, LOWER, POS
from spacy.symbols import ADJ, AUX, NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

from newsgraph.extract.nlp import doc_cache, doc_sents
from newsgraph.extract.ontology import Ontology, Trigger, load_ontology
from newsgraph.extract.timex import precision_of as timex_precision
from newsgraph.model import Event, Mention, Place, Role, Timex
from newsgraph.resources import load_yaml

SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "obj"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
CLAUSE_WRAPPERS = {"REQUEST", "REJECT", "THREATEN", "AGREE", "ACCUSE"}
LOCATIVE = {"in", "near", "at", "outside", "around", "inside", "across", "throughout", "into", "on"}
CONDITIONAL = {"if", "unless"}
VIOLENT = {"ASSAULT", "COERCE"}
TIES = {"affiliated", "linked", "backed", "allied", "aligned", "led", "sponsored", "supported", "run", "held"}
LINKING = {"be", "remain", "stay", "stand", "become", "seem", "appear", "prove", "keep"}
# people named by where they are: "their brothers in Iran", "officials in Baghdad"
RESIDENT_HEADS = {"brother", "brethren", "ally", "friend", "leader", "official", "counterpart", "authority", "people",
                  "leadership", "government"}
LOYALTY = {"loyal", "close", "allied", "linked", "affiliated", "aligned", "faithful", "tied", "belonging"}
CANDIDATE_POS = frozenset({VERB, AUX, NOUN, PROPN, ADJ})  # the parts of speech _candidate looks at
WORD_MEMO_SIZE = 1 << 17  # word hashes remembered as trigger words or not; starts afresh when full


@dataclass(frozen=True)
class Modality:
    negation: frozenset[str]
    hedge_adverbs: frozenset[str]
    modals: frozenset[str]
    hedge_verbs: frozenset[str]
    hedge_adjectives: frozenset[str]
    reporting: frozenset[str]
    anaphors: frozenset[str]
    anaphor_sectors: dict[str, list[str]]
    occasions: frozenset[str]


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
        dict(data.get("anaphor_sectors") or {}),
        frozenset(data.get("occasions") or []),
    )


class MentionIndex:
    """Token -> actor mention lookups for one Doc (built once per document inside nlp.parsed_once: events
    and relations read the same one)."""

    def __init__(self, doc: Doc, mentions: list[Mention], sectors: dict[str, str | None] | None = None):
        self.mentions = mentions
        self.sectors = sectors or {}
        shared = doc_cache(doc)
        built = shared.get("mention_index") if shared is not None else None
        if built is not None and built[0] is mentions:
            self.by_token, self.indexed, self.subjects = built[1:]
            return
        self.by_token: dict[int, int] = {}
        self.indexed: set[int] = set()
        self.subjects: set[int] = set()  # mentions that are (in) the subject of their clause
        if shared is not None:
            shared["mention_index"] = (mentions, self.by_token, self.indexed, self.subjects)
        for i, m in enumerate(mentions):
            if m.actor_id is None and m.label in PLACE_LABELS:
                continue  # a town is where things happen, not who does them
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            self.indexed.add(i)
            for tok in span:
                self.by_token.setdefault(tok.i, i)
            if span.root.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS or span.root.head.dep_ in SUBJECT_DEPS:
                self.subjects.add(i)

    def at(self, token: Token) -> int | None:
        return self.by_token.get(token.i)

    def in_phrase(self, head: Token) -> int | None:
        """The mention heading a noun phrase, else the first inside its pre-modifiers or of-phrase."""
        found = self.at(head)
        if found is not None:
            return found
        for child in head.children:
            if child.dep_ in {"compound", "amod", "poss", "nmod"} and self.at(child) is not None:
                if child.dep_ == "compound" and any(t.lower_ in TIES for t in child.doc[child.i + 1 : head.i]):
                    continue  # "al-Qaeda-affiliated Al-Nusra": the name is further on
                return self.at(child)
        for child in head.children:  # "forces loyal to Assad"
            if child.dep_ in {"amod", "acl"} and child.lower_ in LOYALTY:
                for prep in child.children:
                    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.dep_ == "prep" else None
                    if pobj is not None and self.in_phrase(pobj) is not None:
                        return self.in_phrase(pobj)
        for child in head.children:
            if child.dep_ == "prep" and (child.lower_ in {"of", "from", "by", "including"} or (
                    child.lower_ == "in" and head.lemma_.lower() in RESIDENT_HEADS)):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return self.in_phrase(pobj)
        return None

    def last_before(self, char: int, labels: set[str], subjects_only: bool = False) -> int | None:
        best = None
        for i, m in enumerate(self.mentions):
            if m.end <= char and m.label in labels and (not subjects_only or i in self.subjects):
                best = i
        return best

    def salient_before(self, char: int, labels: set[str], sectors: frozenset[str] | None = None) -> int | None:
        """The latest mention of the actor named most often so far: what 'the group' usually means.
        With sectors, only actors of those sectors (or of no known sector): 'the militias' is no ministry."""
        counts: dict[str, int] = {}
        latest: dict[str, int] = {}
        for i, m in enumerate(self.mentions):
            if sectors is not None and m.actor_id and self.sectors.get(m.actor_id) not in sectors:
                continue
            if m.end <= char and m.label in labels and i in self.indexed:
                key = m.actor_id or (m.name or m.text).lower()
                counts[key] = counts.get(key, 0) + 1
                latest[key] = i
        if not counts:
            return None
        best = max(counts, key=lambda k: (counts[k], latest[k]))
        return latest[best]


def _agent_span(head: Token) -> tuple[int, int, str]:
    """A generic participant named by its head and the words that describe it, without quantities:
    'Iraqi Shia fighters' in 'more than 1,000 Iraqi Shia fighters', 'Iran-backed militia' in
    'an Iran-backed militia headquarters'."""
    if head.dep_ == "compound" and head.head.i > head.i:
        lefts = [t for t in head.head.lefts if t.i < head.i and t.dep_ not in {"det", "nummod", "quantmod", "poss"}]
        start = min([t.left_edge.i for t in lefts if t.left_edge.dep_ not in {"det", "nummod"}] + [head.i])
        span = head.doc[start : head.i + 1]
        return span.start_char, span.end_char, span.text
    first = head
    for tok in reversed(list(head.lefts)):
        if tok.dep_ in {"compound", "amod"} and tok.i == first.i - 1 - _gap(tok, first):
            first = tok.left_edge if tok.left_edge.dep_ not in {"det", "nummod", "quantmod"} else tok
        else:
            break
    doc = head.doc
    span = doc[first.i : head.i + 1]
    return span.start_char, span.end_char, span.text


def _gap(tok: Token, first: Token) -> int:
    return first.i - 1 - tok.right_edge.i if tok.right_edge.i < first.i else 0


_CLAUSE_DEPS = frozenset({"relcl", "acl", "appos", "punct", "cc", "conj", "prep"})


def _phrase_span(head: Token) -> tuple[int, int, str]:
    """The words of a participant: its noun phrase without relative clauses or trailing appositions.

    That is the head and the whole subtrees of its other children: a word is inside a clause when the
    child of the head it hangs from is attached as one."""
    keep = [head]
    for child in head.children:
        if child.dep_ not in _CLAUSE_DEPS:
            keep.extend(child.subtree)
    start = min(t.idx for t in keep)
    last = max(keep, key=lambda t: t.i)
    end = last.idx + len(last.text)
    doc = head.doc
    span = doc.char_span(start, end, alignment_mode="expand")
    text = span.text if span is not None else head.text
    return start, end, text


class EventExtractor:
    def __init__(self, ontology: Ontology | None = None, sectors: dict[str, str | None] | None = None):
        self.sectors = sectors or {}  # actor id -> sector, for what 'the militias' can refer to
        self.ontology = ontology or load_ontology()
        self.modality = load_modality()
        o = self.ontology
        # every word trigger_of or a light verb can start from: a token none of whose forms is here is no
        # candidate, so most tokens are turned away before the parse is read
        self._trigger_words = frozenset(
            {*o.verbs, *o.nouns, *o.phrases, *o.noun_phrases, *o.adjectives, *o.light_verbs, *o.irregular})
        # string hash -> (the string is a trigger word, its lower case is one, its lower case is a request
        # frame, the string is a hedging adverb): pure facts about words, not about any document
        self._word_facts: dict[int, tuple[bool, bool, bool, bool]] = {}

    # -- triggers ---------------------------------------------------------------------------------
    def trigger_of(self, tok: Token) -> Trigger | None:
        lemma = self.ontology.lemma(tok.lemma_.lower(), tok.lower_)
        if lemma in self.modality.reporting and any(c.dep_ == "ccomp" for c in tok.children):
            return None  # "warned that an offensive would ...": a report of what follows
        if tok.pos_ == "ADJ":
            if _misread_noun(tok) and tok.lower_ in self.ontology.nouns:
                return self.ontology.nouns[tok.lower_]  # "a regime offensive" read as an adjective
            linked = tok.dep_ in {"acomp", "xcomp", "oprd"} and tok.head.lemma_.lower() in LINKING
            return self.ontology.adjectives.get(lemma) if linked else None  # "remains loyal", not "forces loyal"
        if tok.pos_ in {"VERB", "AUX"} or tok.tag_.startswith("VB"):
            for phrase in self.ontology.phrases.get(lemma, []):
                if self._phrase_matches(tok, phrase.words):
                    return phrase
            if tok.pos_ == "VERB":
                return self.ontology.verbs.get(lemma)
            return None
        if tok.pos_ in {"NOUN", "PROPN"}:
            trig = self.noun_trigger(tok)
            if trig is None:
                return None
            head = tok.head
            light = self.ontology.light_verbs
            light_in = tok.dep_ == "pobj" and head.lower_ == "in" and head.head.lemma_.lower() in light
            if light_in:
                return None  # "participating in campaigns": the verb carries the event
            if head != tok and head.pos_ == "VERB" and tok.dep_ in OBJECT_DEPS and (
                    head.lemma_.lower() in self.ontology.light_verbs or self.trigger_of(head) is not None):
                return None  # "held talks", "launched an assault": the verb carries the event
            return trig
        return None

    def noun_trigger(self, tok: Token) -> Trigger | None:
        lemma = tok.lemma_.lower()
        for phrase in self.ontology.noun_phrases.get(lemma, []):
            if _preceded_by(tok, phrase.words):
                return phrase
        return self.ontology.nouns.get(tok.lower_) or self.ontology.nouns.get(lemma)

    @staticmethod
    def _phrase_matches(head: Token, words: tuple[str, ...]) -> bool:
        if not words:
            return True
        following = [t.lemma_.lower() for t in head.doc[head.i + 1 : head.i + 1 + 2 * len(words) + 4]]
        pos = 0
        for lemma in following:
            if lemma == words[pos]:
                pos += 1
                if pos == len(words):
                    return True
        return False

    # -- roles ------------------------------------------------------------------------------------
    def _role(self, head: Token, index: MentionIndex) -> Role | None:
        """A participant is a named actor, a word referring back to one, or a generic agent
        ('demonstrators', 'Serb forces'); anything else ('part', 'an assault') is no participant."""
        start, end, text = _phrase_span(head)
        mention = index.in_phrase(head)
        if mention is None:
            mention = self._anaphor(head, index)
        if mention is None:  # "its troops", "leaders of the loyalist militias"
            poss = next((c for c in head.children if c.dep_ == "poss" and c.tag_ == "PRP$"), None)
            of = self._prep_object(head, ("of",))
            if poss is not None:
                mention = self._anaphor(poss, index)
            elif of is not None:
                mention = self._anaphor(of, index)
        if mention is not None and self._non_state_agent(head, index, mention):
            mention = None  # "Iraqi militias" are not the Iraqi state
        if mention is None:
            agent = self._agent_head(head)
            if agent is None:
                return None
            start, end, text = _agent_span(agent)
        return Role(text=text, start=start, end=end, mention=mention)

    def _non_state_agent(self, head: Token, index: MentionIndex, mention: int) -> bool:
        m = index.mentions[mention]
        return (head.lemma_.lower() in self.ontology.non_state_agents and index.at(head) is None
                and m.label == "GPE" and any(index.at(c) == mention for c in head.children if c.dep_ == "amod"))

    def _agent_head(self, head: Token) -> Token | None:
        """The word naming a generic participant: the head itself ('demonstrators'), a compound before
        it ('a militia headquarters') or what it counts ('thousands of protesters')."""
        agents = self.ontology.agents

        def is_agent(t: Token) -> bool:
            return t.lemma_.lower() in agents or t.lower_ in agents

        if is_agent(head):
            return head
        compound = next((c for c in head.children if c.dep_ == "compound" and is_agent(c)), None)
        if compound is not None:
            return compound
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        return pobj if pobj is not None and is_agent(pobj) else None

    def _anaphor(self, head: Token, index: MentionIndex) -> int | None:
        """'the group', 'the delegation', 'he', 'they', 'its': who they stand for."""
        lower = head.lower_
        if head.pos_ == "PRON" or head.tag_ == "PRP$":
            speaker = self._speaker(head, index)
            if speaker is not None:
                return speaker  # "X said it had begun ...": it is X
            if lower in {"he", "she", "him", "her", "his"}:
                return index.last_before(head.idx, {"PERSON"})
            if lower in {"they", "them", "it", "its", "their"}:
                found = index.last_before(head.idx, {"ORG", "GPE"}, subjects_only=True)
                return found if found is not None else index.last_before(head.idx, {"ORG", "GPE"})
            return None
        if (head.lemma_.lower() in self.modality.anaphors or lower in self.modality.anaphors) and any(
            c.lower_ in {"the", "this", "that", "its", "their"} for c in head.children
        ):
            doc = head.doc
            for tok in reversed(doc[: head.i]):
                if tok.lemma_.lower() == head.lemma_.lower() and tok.i != head.i:
                    found = index.in_phrase(tok)
                    if found is not None:
                        return found
            return index.salient_before(head.idx, {"ORG"}, self._sectors_for(head))
        return None

    def _sectors_for(self, head: Token) -> frozenset[str] | None:
        sectors = self.modality.anaphor_sectors.get(head.lemma_.lower()) or \
            self.modality.anaphor_sectors.get(head.lower_)
        return frozenset(sectors) if sectors else None

    def _speaker(self, pron: Token, index: MentionIndex) -> int | None:
        """The subject of the reporting verb whose clause this pronoun is the subject of."""
        if pron.dep_ not in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS and pron.tag_ != "PRP$":
            return None
        node = pron.head
        for _ in range(3):
            if node.dep_ == "ccomp" and node.head.lemma_.lower() in self.modality.reporting:
                subj, _ = self._subject(node.head)
                if subj is None or subj == pron or subj.pos_ == "PRON":
                    return None
                return index.in_phrase(subj) if index.in_phrase(subj) is not None else self._anaphor(subj, index)
            if node.head == node:
                return None
            node = node.head
        return None

    def _subject(self, verb: Token) -> tuple[Token | None, bool]:
        """The verb's subject, climbing through xcomp/conj chains; second value: passive voice.

        'who was assassinated' has the noun the relative clause hangs on as subject; 'stands accused'
        is passive in meaning."""
        passive_here = any(c.dep_ == "auxpass" for c in verb.children) or (
            verb.tag_ == "VBN" and verb.dep_ in {"acomp", "oprd"})
        node = verb
        for _ in range(4):
            for child in node.children:
                if child.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS:
                    passive = child.dep_ in PASSIVE_SUBJECT_DEPS or passive_here
                    if child.tag_ in {"WP", "WDT"} and node.dep_ == "relcl":
                        return node.head, passive  # "Soleimani, who was assassinated"
                    return child, passive
            participle = node.dep_ == "advcl" and node.tag_ in {"VBG", "VBN"} and not any(
                c.dep_ == "mark" for c in node.children)  # "..., engaging in an offensive"
            if node.dep_ == "pcomp" and node.tag_ == "VBG" and node.head.head != node.head:
                node = node.head.head  # "responded by launching airstrikes"
                continue
            if (node.dep_ in {"xcomp", "conj", "acomp"} or participle) and node.head != node:
                node = node.head
                continue
            if node.dep_ in {"relcl", "acl"} and node.head != node:
                return node.head, node.tag_ == "VBN" or passive_here
            break
        return None, False

    def _prep_object(self, head: Token, preps: tuple[str, ...]) -> Token | None:
        for child in head.children:
            if child.dep_ in {"prep", "dative"} and child.lower_ in preps:
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
        if passive and agent is None and self._object_type(verb, trig) in {"MOBILIZE", "RETREAT"}:
            return subj, None  # "PMU forces were deployed to the border": the forces mobilise
        if passive:
            return agent, subj
        if obj is not None and obj.pos_ in {"NOUN", "PROPN"} and self.ontology.nouns.get(obj.lower_):
            obj = self._prep_object(obj, trig.preps) or obj  # "launched an assault on X"
        if obj is None and verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].pos_ in {"AUX", "PROPN"} \
                and verb.doc[verb.i + 1].dep_ not in SUBJECT_DEPS and verb.doc[verb.i + 1].text.isupper():
            obj = verb.doc[verb.i + 1]  # "to eject IS from ...": the parser took the acronym for a verb
        if trig.topic:
            obj = None  # "discussed Shia militias": what is discussed is no participant
        target = obj if obj is not None else self._prep_object(verb, trig.preps)
        return subj, target

    def _noun_roles(self, noun: Token, trig: Trigger) -> tuple[Token | None, Token | None]:
        between = self._prep_object(noun, ("between",))
        if between is None and noun.dep_ in SUBJECT_DEPS and noun.head.pos_ == "VERB":
            between = self._prep_object(noun.head, ("between",))  # "clashes erupted between X and Y"
        other = next((c for c in between.children if c.dep_ == "conj"), None) if between is not None else None
        if other is not None:
            return between, other  # "a meeting between Kerry and Lavrov", "clashes between IS and the SDF"
        source = self._prep_object(noun, ("by",))  # "shelling by ISIS", "threats by tribal forces"
        for child in noun.children if source is None else ():
            if child.dep_ in {"poss", "compound", "amod", "nmod"} and child.pos_ in {"PROPN", "NOUN", "ADJ"}:
                source = child
                break
            if child.dep_ in {"amod", "compound"} and child.lower_ in {"backed", "led", "sponsored", "supported"}:
                source = next((c for c in child.children if c.dep_ in {"npadvmod", "compound", "nmod"}), None)
                if source is not None:  # "a Turkish-backed offensive"
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
        hedges = self._token_plan(sent.doc)[2]  # tokens whose lower case is a hedging adverb
        if any(i in hedges for i in range(sent.start, sent.end)):
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
        doc = trigger.doc

        def modifier(p: Place) -> bool:  # "Iran-backed", "US-led", "Britain-based": not where it happened
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is None:
                return False
            after = doc[span.end : span.end + 2]
            return span.root.dep_ == "npadvmod" or (
                len(after) == 2 and after[0].text == "-" and after[1].lower_ in TIES | {"based", "born"})

        inside = [(i, p) for i, p in places if sent.start_char <= p.start < sent.end_char and p.lat is not None
                  and not modifier(p)]
        if not inside:
            return None
        subtree = {t.idx for t in trigger.subtree}
        attached = [(i, p) for i, p in inside if any(p.start <= x < p.end for x in subtree)]
        pool = attached or inside
        doc = trigger.doc

        def locative(p: Place) -> bool:  # "in Iraq", "near Mosul" rather than "a US drone", "Iran-backed"
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is None:
                return False
            root = span.root
            while root.dep_ in {"conj", "appos"} and root.head != root:
                root = root.head
            return root.dep_ == "pobj" and root.head.lower_ in LOCATIVE

        return min(pool, key=lambda ip: (not locative(ip[1]), abs(ip[1].start - trigger.idx)))[0]

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
        index = MentionIndex(doc, mentions, self.sectors)
        indexed_places = list(enumerate(places))
        events: list[Event] = []
        # the last sentence's time and place, and who took part there
        narrative: tuple[int, Timex | None, int | None, set[str], str] | None = None
        dated: dict[int, Timex] = {}  # sentence number -> the date an event there was stated with
        sents = list(doc_sents(doc))
        for number, sent in enumerate(sents):
            told: tuple[int, Timex | None, int | None, set[str], str] | None = None
            for cand in self._sentence_events(sent, index):
                tok, trig = cand.token, cand.trigger
                timex = self._date(tok, sent, timexes)
                location = self._place(tok, sent, indexed_places)
                if narrative is not None and number - narrative[0] <= 2 and _narrated(tok):
                    # the story goes on: "... on 26 December. He presented Iraq's requests ..."
                    inherited = narrative[1]
                    if inherited is not None and inherited.precision in {"day", "week"} \
                            and not _sentence_has(sent, timexes):
                        timex = timex or inherited  # a specific occasion, not "last year"
                    if narrative[0] == number - 1 and (narrative[4] == cand.type
                                                       or narrative[3] & _participants(cand, index)):
                        # the same kind of event or the same actors, the same place: "... in Mosul. Forces launched"
                        location = location if location is not None or _sentence_has(sent, places) else narrative[2]
                if timex is None and not _sentence_has(sent, timexes):
                    timex = self._date_of_antecedent(sent, sents, dated)  # "the delegation ... reportedly outlined"
                if timex is not None and timex.value and number not in dated:
                    dated[number] = timex
                date, date_text = (timex.value, timex.text) if timex else (published, None)
                if timex is not None or location is not None:
                    told = (number, timex if timex is not None and timex.value else None, location,
                            _participants(cand, index), cand.type)
                hedged = self._hedged(tok, sent)
                source, target = cand.source, cand.target
                confidence = 0.4 + 0.25 * _has_actor(source) + 0.25 * _has_actor(target) - 0.15 * hedged
                events.append(
                    Event(
                        type=cand.type,
                        trigger=cand.text,
                        sentence=sentence_index[sent.start],
                        start=sent.start_char,
                        end=sent.end_char,
                        source=source,
                        target=target,
                        mode=trig.mode,
                        cameo=self.ontology.cameo(cand.type),
                        negated=self._negated(tok),
                        hedged=hedged,
                        attribution=self._attribution(tok, sent),
                        date=date,
                        date_precision=precision_of(date),
                        date_text=date_text,
                        location=location,
                        confidence=round(max(0.05, min(confidence, 0.99)), 2),
                    )
                )
            if told is not None:
                narrative = told
        return events

    def _date_of_antecedent(self, sent: Span, sents: list[Span], dated: dict[int, Timex]) -> Timex | None:
        """A sentence about 'the delegation' or 'the talks' is about the occasion where they first appeared:
        it takes that sentence's date."""
        for tok in sent:
            if tok.pos_ != "NOUN" or not any(c.lower_ == "the" for c in tok.children):
                continue
            if tok.lemma_.lower() not in self.modality.occasions:
                continue
            for number, earlier in enumerate(sents):
                if earlier.start >= sent.start:
                    break
                if number in dated and any(t.lemma_.lower() == tok.lemma_.lower() for t in earlier):
                    return dated[number]
        return None

    def _facts(self, key: int, strings) -> tuple[bool, bool, bool, bool]:
        facts = self._word_facts.get(key)
        if facts is None:
            word = strings[key]
            lower = word.lower()
            facts = (word in self._trigger_words, lower in self._trigger_words,
                     lower in self.ontology.request_frames, word in self.modality.hedge_adverbs)
            if len(self._word_facts) >= WORD_MEMO_SIZE:
                self._word_facts.clear()
            self._word_facts[key] = facts
        return facts

    def _token_plan(self, doc: Doc) -> tuple[set[int], set[int], set[int]]:
        """The tokens _candidate can accept (a part of speech it reads, and a trigger or light verb by its
        word or lemma), those whose lemma is a request frame and those that are hedging adverbs, read once
        per document from the Doc's arrays: most tokens are none of these, and are never made into Token
        objects."""
        shared = doc_cache(doc)
        plan = shared.get("event_tokens") if shared is not None else None
        if plan is None:
            strings = doc.vocab.strings
            known = self._word_facts.get
            maybe: set[int] = set()
            frames: set[int] = set()
            hedges: set[int] = set()
            for i, (pos, lower, lemma) in enumerate(doc.to_array([POS, LOWER, LEMMA]).tolist()):
                lemma_facts = known(lemma) or self._facts(lemma, strings)
                lower_facts = known(lower) or self._facts(lower, strings)
                if lemma_facts[2]:
                    frames.add(i)
                if lower_facts[3]:
                    hedges.add(i)
                if pos in CANDIDATE_POS and (lower_facts[0] or lemma_facts[1]):
                    maybe.add(i)
            plan = (maybe, frames, hedges)
            if shared is not None:
                shared["event_tokens"] = plan
        return plan

    def _sentence_events(self, sent: Span, index: MentionIndex) -> list[Candidate]:
        """One candidate per trigger, then the embedded ones folded into the event that governs them:
        'refused to meet X' is a rejection, not a meeting; 'killed in a US airstrike' is one attack."""
        found: dict[int, Candidate] = {}
        doc = sent.doc
        maybe, _, _ = self._token_plan(doc)
        for i in range(sent.start, sent.end):
            if i not in maybe:
                continue  # _candidate would turn it away at once
            cand = self._candidate(doc[i], index)
            if cand is not None:
                found[i] = cand
        for cand in self._requests_by_must(sent, index):
            found.setdefault(cand.token.i, cand)
        for i in sorted(found, key=lambda i: -_depth(sent.doc[i])):
            cand = found[i]
            gov, nominal = self._governor(cand.token, found)
            if gov is None:
                continue
            gov.absorb(cand, nominal)
            del found[i]
        out = []
        for cand in found.values():
            cand.type = self._intent(cand)
            aspectual = self._aspectual_subject(cand.token)
            if cand.trigger.weak and not (cand.source is not None and cand.source.mention is not None) \
                    and not aspectual:
                continue  # "operations", "campaign": an event only when someone's or when it begins
            if cand.type == "CONSULT" and cand.target is not None and cand.target.mention is not None and \
                    self.sectors.get(index.mentions[cand.target.mention].actor_id or "") == "media":
                continue  # "sources who spoke with the Iraqi News Agency": telling the press is no consultation
            if _same_actor(cand.source, cand.target, index):
                cand.target = None  # "the PMU, known as the Hashd": an actor does not act on itself
            if aspectual:
                cand.text = f"{cand.token.text} {cand.token.head.text}"  # "operations began": when it started
            if _has_actor(cand.source) or _has_actor(cand.target) or aspectual:
                out.append(cand)
        return _distinct(out)

    def _asserted(self, tok: Token) -> bool:
        """Not a description ('a party allied with the PMU', 'areas recaptured from IS') and not the
        content of a fear or a possibility ('a real fear that ISIS detainees could escape')."""
        victims = tok.head.lemma_.lower() in self.ontology.agents or tok.head.lower_ in self.ontology.agents
        described = tok.dep_ == "acl" and (
            (tok.tag_ == "VBN" and not victims)  # but "62 Syrian troops killed in US-led strikes" is news
            or (tok.tag_ == "VBG" and tok.head.pos_ in {"PRON", "DET"}))
        misparsed = tok.dep_ == "advcl" and tok.tag_ == "VBD" and not any(
            c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS | {"mark"} for c in tok.children)
        if (described or misparsed) and not any(c.dep_ in {"agent", "nsubj"} for c in tok.children):
            return False  # "a party allied with the PMU", "those travelling to Aleppo", "areas recaptured from IS"
        if _running_total(tok):
            return False  # "280000 people have been killed since the conflict began in 2011": a toll, not an event
        node = tok
        for _ in range(4):
            if node.head == node:
                return True
            if node.dep_ in {"acl", "ccomp", "relcl"} and node.head.lemma_.lower() in self.ontology.unreal_frames:
                return False
            if node.dep_ in {"pcomp", "pobj"} and node.head.dep_ == "prep" and \
                    node.head.head.lemma_.lower() in self.ontology.unreal_frames:
                return False  # "a fear of ISIS elements escaping", "the possibility of an attack"
            node = node.head
        return True

    def _candidate(self, tok: Token, index: MentionIndex) -> Candidate | None:
        if tok.pos_ not in {"VERB", "AUX", "NOUN", "PROPN", "ADJ"}:
            return None
        words = self._trigger_words
        if tok.lower_ not in words and tok.lemma_.lower() not in words:
            return None  # no trigger and no light verb has this word or lemma
        trig = self.trigger_of(tok)
        light = trig is None and tok.pos_ == "VERB" and tok.lemma_.lower() in self.ontology.light_verbs
        if (trig is None and not light) or not self._asserted(tok):
            return None
        text = tok.text
        if light:
            noun_trig, noun = None, None
            for option in (next((c for c in tok.children if c.dep_ in OBJECT_DEPS), None),
                           self._prep_object(tok, ("in",))):  # "launched an offensive", "took part in the fighting"
                noun_trig = self.noun_trigger(option) if option is not None and option.pos_ in {"NOUN", "PROPN"} \
                    else None
                if noun_trig is not None:
                    noun = option
                    break
            if noun_trig is None:
                return None
            trig, text = noun_trig, f"{tok.text} {noun.text}"
            src_tok, _ = self._subject(tok)
            tgt_tok = self._prep_object(noun, trig.preps) or self._prep_object(tok, trig.preps)
        elif trig is None:
            return None
        elif tok.pos_ in {"NOUN", "PROPN"}:
            src_tok, tgt_tok = self._noun_roles(tok, trig)
        elif tok.pos_ == "ADJ" and _misread_noun(tok) and tok.lower_ in self.ontology.nouns:
            src_tok = tok.head if tok.head.i < tok.i and tok.head.pos_ in {"NOUN", "PROPN"} else None
            tgt_tok = self._prep_object(tok, trig.preps) or self._prep_object(tok.head, trig.preps)
        else:
            src_tok, tgt_tok = self._verb_roles(tok, trig)
        kind = self._object_type(tok, trig)
        if trig.subjects and src_tok is not None:  # "fighters travelled to Syria" is a deployment
            kind = trig.subjects.get(src_tok.lemma_.lower()) or trig.subjects.get(src_tok.lower_) or kind
        source = self._role(src_tok, index) if src_tok is not None else None
        target = self._role(tgt_tok, index) if tgt_tok is not None else None
        if target is None and kind in CLAUSE_WRAPPERS:
            # "called for Hashd al-Shaabi to be kept out": the one the clause is about
            clause = next((c for c in tok.children if c.dep_ in {"ccomp", "xcomp"}), None)
            subj = self._subject(clause)[0] if clause is not None else None
            if subj is not None and subj != src_tok and subj.head == clause:
                target = self._role(subj, index)
        if (target is None or target.mention is None) and tok.pos_ in {"VERB", "ADJ"}:
            # "sent fighters to Syria", "granted legal status to the PMU": what is given is no participant;
            # the one it goes to is
            obj = next((c for c in tok.children if c.dep_ in OBJECT_DEPS), None)
            recipient = self._prep_object(tok, trig.preps) or (
                self._prep_object(obj, trig.preps) if obj is not None else None)
            role = self._role(recipient, index) if recipient is not None else None
            placed = kind in {"MOBILIZE", "RETREAT"} and recipient is not None and index.at(recipient) is None
            if role is not None and (role.mention is not None or target is None) and not placed:
                target = role  # but "deployed to the Syrian border" goes to a place, not to Syria
        if trig.needs_object and not any(c.dep_ in OBJECT_DEPS for c in tok.children) and tok.pos_ == "VERB":
            return None  # "returned the bodies" is a concession; "returned from Iran" is a journey
        if trig.needs_target and (target is None or target.mention is None):
            return None  # "warned X" is a threat; "warned that ..." is a report
        return Candidate(tok, trig, kind, text, source, target)

    def _object_type(self, tok: Token, trig: Trigger) -> str:
        """'sent troops' is a deployment, 'sent inspectors' an investigation, 'sent aid' aid."""
        if not trig.objects:
            return trig.type
        for child in tok.children:
            if child.dep_ in OBJECT_DEPS | PASSIVE_SUBJECT_DEPS:
                kind = trig.objects.get(child.lemma_.lower()) or trig.objects.get(child.lower_)
                if kind:
                    return kind
        return trig.type

    def _governor(self, tok: Token, found: dict[int, Candidate]) -> tuple[Candidate | None, bool]:
        """The event this trigger is part of: the nearest trigger above it through complement, purpose
        or prepositional links (not through coordination or relative clauses, which state new events).
        Second value: whether the way up passes through a noun's modifiers ('militiamen backing X')."""
        node = tok
        nominal = False
        violent = self._type_of(tok, found) in VIOLENT
        for _ in range(7):
            if node.dep_ == "relcl" and violent and node.tag_ == "VBN" and node.head.pos_ in {"NOUN", "PROPN"}:
                nominal = True  # "struck the town ... where five civilians were killed": the same attack
            elif node.dep_ in {"relcl", "ROOT", "parataxis", "appos"} or node.head == node:
                return None, nominal
            if node.dep_ == "conj" and node.pos_ in {"VERB", "AUX"}:
                return None, nominal  # coordinated clauses state events of their own; coordinated nouns do not
            if node.dep_ == "advcl" and not any(
                    (c.dep_ == "aux" and c.lower_ == "to") or (c.dep_ == "mark" and c.lower_ in CONDITIONAL)
                    for c in node.children):
                return None, nominal  # "after X attacked Y" states its own event; "to demand Z", "if Z" serve it
            infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
            if node.dep_ in {"acl", "amod"} and node.pos_ == "VERB" and not infinitive:
                nominal = True  # "militiamen backing the Assad regime" describes the militiamen
            node = node.head
            if node.i in found:
                if nominal and violent and found[node.i].type not in VIOLENT:
                    return None, nominal
                return found[node.i], nominal
            if node.lemma_.lower() in self.modality.reporting:
                return None, nominal
        return None, nominal

    @staticmethod
    def _type_of(tok: Token, found: dict[int, Candidate]) -> str | None:
        cand = found.get(tok.i)
        return cand.type if cand is not None else None

    def _aspectual_subject(self, tok: Token) -> bool:
        """'Mosul operations began on October 16': the event is stated even with no one named."""
        return tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ in SUBJECT_DEPS and \
            tok.head.lemma_.lower() in self.ontology.aspectual

    def _intent(self, cand: Candidate) -> str:
        """PLOVER codes a stated future action as a commitment: 'will support' AGREE, 'will boycott'
        THREATEN. Plans and readiness ('prepared to fight') stay what they are, hedged."""
        tok = cand.token
        if tok.pos_ != "VERB" or cand.type in {"AGREE", "THREATEN", "REQUEST", "REJECT", "ACCUSE"}:
            return cand.type
        auxes = {c.lower_ for c in tok.children if c.dep_ == "aux"}
        reported = any(a.lemma_.lower() in self.modality.reporting for a in tok.ancestors)
        willing = tok.dep_ == "xcomp" and tok.head.lower_ in self.ontology.commitment_words
        if not (auxes & {"will", "'ll", "shall"} or ("would" in auxes and reported) or willing):
            return cand.type
        return "AGREE" if self.ontology.quad(cand.type) in {1, 2} else "THREATEN"

    def _requests_by_must(self, sent: Span, index: MentionIndex) -> list[Candidate]:
        """'X said Y must do Z' / 'X declared that Y should Z': a request by X to Y."""
        out = []
        doc = sent.doc
        _, frames, _ = self._token_plan(doc)
        for i in range(sent.start, sent.end):
            if i not in frames:
                continue  # its lemma is no request frame
            tok = doc[i]
            for comp in tok.children:
                if comp.dep_ != "ccomp" or not any(
                        c.dep_ == "aux" and c.lower_ in {"must", "should"} for c in comp.children):
                    continue
                src_tok, _ = self._subject(tok)
                tgt_tok, _ = self._subject(comp)
                source = self._role(src_tok, index) if src_tok is not None else None
                target = self._role(tgt_tok, index) if tgt_tok is not None else None
                trig = Trigger(type="REQUEST", mode="demand")
                out.append(Candidate(tok, trig, "REQUEST", tok.text, source, target))
        return out


@dataclass
class Candidate:
    token: Token
    trigger: Trigger
    type: str
    text: str
    source: Role | None
    target: Role | None

    def absorb(self, other: Candidate, nominal: bool = False) -> None:
        """Take what the embedded event knows that this one does not: the attacker named in
        'a US drone attack', the one met in 'refused to meet X' — but not from an event that only
        describes one of the nouns ('militiamen backing the Assad regime')."""
        if self.trigger.topic and other.token.i > self.token.i:
            return  # "discussed militias fighting in Syria": the fighters are the topic, not the other side
        if other.type == self.type or other.type in {"ASSAULT", "COERCE"} and self.type in {"ASSAULT", "COERCE"}:
            if not _has_actor(self.source) and _has_actor(other.source):
                self.source = other.source
            if not _has_actor(self.target) and _has_actor(other.target):
                self.target = other.target
            return
        if nominal:
            return
        if not _has_actor(self.target):
            if _has_actor(other.target):
                self.target = other.target
            elif _has_actor(other.source) and not _same(other.source, self.source):
                self.target = other.source


def _same_actor(a: Role | None, b: Role | None, index: MentionIndex) -> bool:
    if a is None or b is None or a.mention is None or b.mention is None:
        return False
    ma, mb = index.mentions[a.mention], index.mentions[b.mention]
    return a.mention == b.mention or (ma.actor_id is not None and ma.actor_id == mb.actor_id)


def _same(a: Role | None, b: Role | None) -> bool:
    return a is not None and b is not None and (a.mention == b.mention and a.mention is not None)


def _depth(tok: Token) -> int:
    return sum(1 for _ in tok.ancestors)


def _distinct(cands: list[Candidate]) -> list[Candidate]:
    """One event per type and pair of participants in a sentence; one that lacks a participant another
    states in full ('collaborating and exchanging information with the Syrian army') is the same event."""
    full = {(c.type, _role_key(c.source), _role_key(c.target)) for c in cands}
    cands = [c for c in cands if not (
        (c.target is None and any(k[0] == c.type and k[1] == _role_key(c.source) and k[2] is not None
                                  for k in full) and c.source is not None)
        or (c.source is None and any(k[0] == c.type and k[2] == _role_key(c.target) and k[1] is not None
                                     for k in full) and c.target is not None))]
    seen: set[tuple] = set()
    out = []
    for c in sorted(cands, key=lambda c: c.token.i):
        key = (c.type, _role_key(c.source), _role_key(c.target))
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def _role_key(role: Role | None):
    if role is None:
        return None
    return role.mention if role.mention is not None else role.text.lower()


_LONG_RUN = re.compile(r"\b(?:1[89]|20)\d\d\b|\b(?:conflict|war|uprising|revolution|crisis|intervention)\b", re.I)


def _running_total(tok: Token) -> bool:
    """A count 'since' the war or a year began sums many events; it states none of them."""
    if tok.lemma_.lower() not in {"kill", "die", "wound", "injure", "displace", "flee", "arrest", "detain"}:
        return False
    for child in tok.children:
        since = child.lower_ == "since" and child.dep_ in {"prep", "mark"}
        since = since or (child.dep_ == "advcl" and any(c.lower_ == "since" for c in child.children))
        if since and _LONG_RUN.search(" ".join(t.text for t in child.subtree)):
            return True
    return False


def _misread_noun(tok: Token) -> bool:
    """An event noun the tagger took for an adjective: nothing nominal follows it ('a regime offensive in')."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return tok.pos_ == "ADJ" and (nxt is None or nxt.pos_ not in {"NOUN", "PROPN", "ADJ"})


def _participants(cand: Candidate, index: MentionIndex) -> set[str]:
    keys = set()
    for role in (cand.source, cand.target):
        if role is None:
            continue
        if role.mention is not None:
            m = index.mentions[role.mention]
            if m.label == "GPE":
                continue  # a country takes part in too much to tie two sentences together
            keys.add(m.actor_id or (m.name or m.text).lower())
        else:
            keys.add(role.text.lower())
    return keys


def _narrated(tok: Token) -> bool:
    """A past-tense event statement, which continues the story the sentence before began."""
    return tok.tag_ in {"VBD", "VBN"} or (tok.pos_ == "NOUN" and tok.head.tag_ in {"VBD", "VBN"})


def _sentence_has(sent: Span, found: list) -> bool:
    return any(sent.start_char <= x.start < sent.end_char for x in found)


def _has_actor(role: Role | None) -> bool:
    return role is not None


def _preceded_by(tok: Token, words: tuple[str, ...]) -> bool:
    """Noun phrases named by their modifiers: 'hunger strike', 'war games', 'ethnic cleansing'."""
    before = [t.lemma_.lower() for t in tok.doc[max(0, tok.i - len(words)) : tok.i]]
    return tuple(before) == words


def precision_of(value: str | None) -> str | None:
    """The precision of an event date; the vocabulary is the timex one (day, week, month, quarter, ...)."""
    if not value:
        return None
    try:
        return timex_precision(value)
    except ValueError:
        return None
