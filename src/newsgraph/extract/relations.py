"""Standing affiliations (not events): leader_of, member_of, spokesperson_of, backed_by, allied_with."""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc, Span

from newsgraph.extract.dictionary import ActorDictionary
from newsgraph.extract.events import MentionIndex
from newsgraph.extract.nlp import doc_sents, doc_text
from newsgraph.model import Mention, Relation, Role
from newsgraph.resources import load_yaml


@cache
def role_words() -> dict[str, str]:
    """Role noun (lower case, possibly several words) -> relation."""
    data = load_yaml("lexicon", "roles.yaml")
    words: dict[str, str] = {}
    for relation in ("member_of", "spokesperson_of", "leader_of"):  # later ones win on overlap
        for w in data[relation]:
            words[w.lower()] = relation
    return words


_BACKED = re.compile(r"-(?:backed|sponsored|funded|supported|aligned)\b", re.I)
_PART_OF = re.compile(r"\b(?:which|that|who) (?:is|are|was|were) (?:a )?(?:part|member|members|faction) of\b")
_BACKED_BY = re.compile(r"\b(?:backed|funded|sponsored|supported|armed|financed) by\b")
_ALLIED = re.compile(r"\b(?:allied with|close to|aligned with|loyal to)\b")


def _role(m: Mention, i: int) -> Role:
    return Role(text=m.text, start=m.start, end=m.end, mention=i)


class RelationExtractor:
    def __init__(self, dictionary: ActorDictionary):
        self.dictionary = dictionary

    def extract(self, doc: Doc, mentions: list[Mention], sentence_index: dict[int, int],
                published: str | None = None) -> list[Relation]:
        out: list[Relation] = []
        index = MentionIndex(doc, mentions)
        for sent in doc_sents(doc):
            ms = [(i, m) for i, m in enumerate(mentions) if sent.start_char <= m.start < sent.end_char]
            if not ms:
                continue
            sid = sentence_index[sent.start]
            out += self._titles(sent, ms, sid)
            out += self._office(sent, ms, sid, mentions, published)
            out += self._backed(sent, index, mentions, sid)
            out += self._pattern(sent, ms, sid, _PART_OF, "member_of")
            out += self._pattern(sent, ms, sid, _ALLIED, "allied_with")
            out += self._pattern(sent, ms, sid, _BACKED_BY, "backed_by")
        return [self._government(r, mentions, published) for r in _unique(out)]

    def _titles(self, sent: Span, ms: list[tuple[int, Mention]], sid: int) -> list[Relation]:
        """'X, the head of Y' / 'Y commander X' / 'the head of Y, X' / 'Supreme Leader of Y X'."""
        out = []
        words = role_words()
        text = doc_text(sent.doc)
        persons = [(i, m) for i, m in ms if m.label == "PERSON"]
        orgs = [(i, m) for i, m in ms if m.label in {"ORG", "GPE", "NORP"}]
        for pi, p in persons:
            for oi, o in orgs:
                if o.end <= p.start:  # org first: "Y commander X", "Iraqi Prime Minister X", "head of Y, X"
                    between = text[o.end : p.start]
                    rel = _role_between(between, words, org_first=True)
                    if rel is None and not between.strip():  # "Supreme Leader of Iran Ali Khamenei"
                        rel = _role_before(text[max(sent.start_char, o.start - 40) : o.start], words)
                else:  # "X, the head of Y"
                    between = text[p.end : o.start]
                    rel = _role_between(between, words, org_first=False)
                if rel:
                    out.append(Relation(_role(p, pi), rel, _role(o, oi), sid, sent.start_char, sent.end_char))
        return out

    def _backed(self, sent: Span, index: MentionIndex, mentions: list[Mention], sid: int) -> list[Relation]:
        """'the Iran-backed Popular Mobilisation' -> backed_by(PMU, Iran), the backed noun from the parse."""
        out = []
        doc = sent.doc
        for match in _BACKED.finditer(doc_text(doc), sent.start_char, sent.end_char):
            backer = next(((i, m) for i, m in enumerate(mentions) if m.end == match.start()), None)
            word = doc.char_span(match.start() + 1, match.end(), alignment_mode="expand")
            if backer is None or word is None:
                continue
            head = word.root.head
            while head.dep_ in {"amod", "conj", "cc"} and head.head != head and head.pos_ not in {"NOUN", "PROPN"}:
                head = head.head
            found = index.in_phrase(head)
            if found is None or found == backer[0] or mentions[found].label not in {"ORG", "PERSON"}:
                continue
            m = mentions[found]
            out.append(Relation(_role(m, found), "backed_by", _role(backer[1], backer[0]), sid,
                                sent.start_char, sent.end_char))
        return out

    def _office(self, sent: Span, ms: list[tuple[int, Mention]], sid: int, mentions: list[Mention],
                published: str | None) -> list[Relation]:
        """'Prime Minister Haider al-Abadi': a title the dictionary knows this person held at that date."""
        out = []
        text = doc_text(sent.doc)
        for i, m in ms:
            actor = self.dictionary.actors.get(m.actor_id or "")
            if actor is None or actor.type != "PERSON":
                continue
            before = text[max(sent.start_char, m.start - 40) : m.start].lower()
            if any(o.end == m.start or 0 < m.start - o.end <= 20 and o.label != "PERSON"
                   for _, o in ms if o.end <= m.start and o.start >= m.start - 40):
                continue  # an organisation names the office itself: handled by _titles
            for role in actor.roles:
                title = str(role.get("role", "")).lower()
                if title == "leader_of" or not re.search(rf"\b{re.escape(title)}\s*\W*$", before):
                    continue
                if not _active(role, published):
                    continue
                target = self.dictionary.actors.get(str(role.get("of")))
                if target is None:
                    continue
                obj = Role(text=target.name, start=m.start, end=m.start, mention=None, actor=target.id)
                out.append(Relation(_role(m, i), "leader_of", obj, sid, sent.start_char, sent.end_char))
                break
        return out

    def _government(self, rel: Relation, mentions: list[Mention], published: str | None) -> Relation:
        """A leader 'of Syria' leads the government of the day: the dictionary's role at that date says which."""
        if rel.relation != "leader_of" or rel.subject.mention is None or rel.object.mention is None:
            return rel
        person = self.dictionary.actors.get(mentions[rel.subject.mention].actor_id or "")
        state = mentions[rel.object.mention]
        if person is None or state.label not in {"GPE", "NORP"} or not state.actor_id:
            return rel
        for role in person.roles:
            gov = self.dictionary.actors.get(str(role.get("of")))
            if (gov is not None and gov.sector == "government" and gov.type == "ORG"
                    and gov.country == (self.dictionary.actors[state.actor_id].country) and _active(role, published)):
                obj = Role(text=state.text, start=state.start, end=state.end, mention=rel.object.mention,
                           actor=gov.id)
                return Relation(rel.subject, rel.relation, obj, rel.sentence, rel.start, rel.end)
        return rel

    def _pattern(self, sent: Span, ms: list[tuple[int, Mention]], sid: int, pattern: re.Pattern,
                 relation: str) -> list[Relation]:
        """'X, which is part of Y' / 'X, a party allied with Y': the organisation just before, the one just after."""
        out = []
        text = doc_text(sent.doc)
        for match in pattern.finditer(text, sent.start_char, sent.end_char):
            before = [(i, m) for i, m in ms if m.end <= match.start() and match.start() - m.end < 60]
            after = [(i, m) for i, m in ms if m.start >= match.end() and m.start - match.end() < 12]
            if not before or not after:
                continue
            (si, s), (oi, o) = before[-1], after[0]
            gap = text[s.end : match.start()]
            if s.label not in {"ORG", "PERSON"} or o.label == "NORP" or re.search(r"[.;]", gap):
                continue
            # adjacent, or one apposition: "X, a Shia party allied with"
            if not re.fullmatch(r"\s*[)\]]?\s*(?:,[^,]*)?", gap):
                continue
            out.append(Relation(_role(s, si), relation, _role(o, oi), sid, sent.start_char, sent.end_char))
        return out


def _role_between(between: str, words: dict[str, str], org_first: bool) -> str | None:
    """The relation named by the few words between a person and an organisation, if that is all they are."""
    b = between.strip().lower()
    if len(b) > 40 or "." in b or ";" in b:
        return None
    b = re.sub(r"^[,\s]*(?:the|a|an|its|former|late|top|senior)?\s*", "", b)
    if org_first:
        # "commander" / "'s commander" / "chief" / "head of Y, " handled the other way round
        b = re.sub(r"^'s\s+", "", b).strip(" ,")
        for title, relation in sorted(words.items(), key=lambda kv: -len(kv[0])):
            if b == title or b.endswith(" " + title) and len(b.split()) <= 3:
                return relation
        return None
    b = b.strip(" ,")
    for title, relation in sorted(words.items(), key=lambda kv: -len(kv[0])):
        if re.fullmatch(rf"(?:the |a |an )?(?:\w+ )?{re.escape(title)} (?:of|for|at|in) (?:the )?", b + " "):
            return relation
    return None


def _role_before(before: str, words: dict[str, str]) -> str | None:
    """'... Supreme Leader of' / 'the late leader of' just before an organisation."""
    b = before.lower()
    for title, relation in sorted(words.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{re.escape(title)} (?:of|for) (?:the )?$", b):
            return relation
    return None


def _active(role: dict, date: str | None) -> bool:
    """Whether an office term covers a date, compared at the precision both have; an unknown date: yes."""
    if not date:
        return True
    start, end = str(role.get("from") or ""), str(role.get("to") or "")
    after_start = not start or start[: len(date)] <= date[: len(start)]
    before_end = not end or date[: len(end)] <= end[: len(date)]
    return after_start and before_end


def _unique(relations: list[Relation]) -> list[Relation]:
    seen = set()
    out = []
    for r in relations:
        key = (r.subject.start, r.relation, r.object.start, r.object.actor)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
