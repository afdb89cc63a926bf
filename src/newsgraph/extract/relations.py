"""Standing affiliations (not events): leader_of, member_of, spokesperson_of, backed_by, allied_with."""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc, Span

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
_ALLIED = re.compile(r"\b(?:allied with|close to|aligned with|loyal to)\b")


def _role(m: Mention, i: int) -> Role:
    return Role(text=m.text, start=m.start, end=m.end, mention=i)


class RelationExtractor:
    def extract(self, doc: Doc, mentions: list[Mention], sentence_index: dict[int, int]) -> list[Relation]:
        out: list[Relation] = []
        for sent in doc.sents:
            ms = [(i, m) for i, m in enumerate(mentions) if sent.start_char <= m.start < sent.end_char]
            if len(ms) < 2:
                continue
            sid = sentence_index[sent.start]
            out += self._titles(sent, ms, sid)
            out += self._backed(sent, ms, sid)
            out += self._pattern(sent, ms, sid, _PART_OF, "member_of")
            out += self._pattern(sent, ms, sid, _ALLIED, "allied_with", subject_any=True)
        return _unique(out)

    def _titles(self, sent: Span, ms: list[tuple[int, Mention]], sid: int) -> list[Relation]:
        """'X, the head of Y' / 'Y commander X' / 'the head of Y, X' / 'Supreme Leader of Y X'."""
        out = []
        words = role_words()
        text = sent.doc.text
        persons = [(i, m) for i, m in ms if m.label == "PERSON"]
        orgs = [(i, m) for i, m in ms if m.label in {"ORG", "GPE", "NORP"}]
        for pi, p in persons:
            for oi, o in orgs:
                if o.end <= p.start:  # org first: "Y commander X", "Iraqi Prime Minister X", "head of Y, X"
                    between = text[o.end : p.start]
                    rel = _role_between(between, words, org_first=True)
                else:  # "X, the head of Y"
                    between = text[p.end : o.start]
                    rel = _role_between(between, words, org_first=False)
                if rel:
                    out.append(Relation(_role(p, pi), rel, _role(o, oi), sid, sent.start_char, sent.end_char))
        return out

    def _backed(self, sent: Span, ms: list[tuple[int, Mention]], sid: int) -> list[Relation]:
        """'the Iran-backed Popular Mobilisation' -> backed_by(PMU, Iran)."""
        out = []
        text = sent.doc.text
        for match in _BACKED.finditer(text, sent.start_char, sent.end_char):
            backer = next(((i, m) for i, m in ms if m.end == match.start()), None)
            if backer is None:
                continue
            after = [(i, m) for i, m in ms if m.start >= match.end() and m.start - match.end() < 60]
            if after and after[0][1].label in {"ORG", "PERSON"}:
                i, m = after[0]
                out.append(Relation(_role(m, i), "backed_by", _role(backer[1], backer[0]), sid,
                                    sent.start_char, sent.end_char))
        return out

    def _pattern(self, sent: Span, ms: list[tuple[int, Mention]], sid: int, pattern: re.Pattern,
                 relation: str, subject_any: bool = False) -> list[Relation]:
        """'X, which is part of Y' / 'X ... allied with Y': nearest mention before, first after."""
        out = []
        text = sent.doc.text
        for match in pattern.finditer(text, sent.start_char, sent.end_char):
            before = [(i, m) for i, m in ms if m.end <= match.start() and match.start() - m.end < 80]
            after = [(i, m) for i, m in ms if m.start >= match.end() and m.start - match.end() < 20]
            if not before or not after:
                continue
            si, s = before[-1]
            if not subject_any and s.label not in {"ORG", "PERSON"}:
                continue
            oi, o = after[0]
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


def _unique(relations: list[Relation]) -> list[Relation]:
    seen = set()
    out = []
    for r in relations:
        key = (r.subject.start, r.relation, r.object.start)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
