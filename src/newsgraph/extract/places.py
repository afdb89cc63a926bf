"""Toponyms: find place mentions in a parsed article and resolve them against the gazetteer.

spaCy's GPE/LOC/FAC entities are taken as places; names it mislabels (PERSON "Tal Afar", ORG "Erbil",
NORP "Aleppo") or misses are taken when the gazetteer knows them and the sentence supports a place
reading: a locative preposition before, a coordination with another place, or a well-known place.
Ambiguous names go to the countries the article talks about (country names and demonyms), then to the
most populous. Qualifiers ("east Aleppo", "southwest of Mosul") are left out of the toponym span.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Span

from newsgraph.extract.gazetteer import GazEntry, Gazetteer, load_gazetteer
from newsgraph.model import Place

__all__ = ["load_gazetteer", "resolve_places"]

_DATA = Path(__file__).resolve().parent.parent / "data" / "places_lexicon.yaml"
_STRONG_LABELS = {"GPE", "LOC", "FAC"}
_WEAK_LABELS = {"PERSON", "ORG", "NORP"}
_NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "abd", "bint", "ben", "da", "de", "van", "von"}


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The word lists, read once from the package data file."""
    with _DATA.open(encoding="utf-8") as fh:
        lex = yaml.safe_load(fh)
    for key in ("locative_prepositions", "coordinators", "province_words", "generic_words", "qualifiers",
                "geographic_org_heads"):
        lex[key] = {w.lower() for w in lex[key]}
    lex["not_places"] = {w.lower() for w in lex["not_places"]}
    return lex


@dataclass
class _Cand:
    start: int  # token indices of the toponym itself
    end: int
    strong: bool  # spaCy called it a place
    province: bool = False  # followed by 'province', 'governorate'...
    entry: GazEntry | None = None
    level: int = 0
    accepted: bool = False


def _country_context(doc: Doc, gaz: Gazetteer) -> Counter[str]:
    """How often each country is named or referred to by a demonym: the article's geography."""
    demonyms = lexicon()["demonyms"]
    ctx: Counter[str] = Counter()
    for tok in doc:
        cc = demonyms.get(tok.text) or demonyms.get(tok.text.title() if tok.is_upper else "")
        if cc:
            ctx[cc] += 1
    for ent in doc.ents:
        if ent.label_ in _STRONG_LABELS:
            hits = gaz.lookup(_strip_the(ent).text, fuzzy=False)
            if hits and hits[0].feature == "A.PCLI":
                ctx[hits[0].country] += 1
    return ctx


def _strip_the(span: Span) -> Span:
    doc, i = span.doc, span.start
    while i < span.end - 1 and doc[i].lower_ in ("the", "a"):
        i += 1
    return doc[i : span.end]


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int, bool]:
    """Toponym part of a span: no leading article/qualifier, no trailing 'province' or 'city'."""
    lex = lexicon()
    province = False
    while end - start > 1 and doc[end - 1].lower_ in lex["province_words"] | lex["generic_words"]:
        province = province or doc[end - 1].lower_ in lex["province_words"]
        end -= 1
    while end - start > 1 and (doc[start].lower_ in ("the", "a") or doc[start].lower_ in lex["qualifiers"]):
        start += 1
    return start, end, province


def _score(e: GazEntry, ctx: Counter[str], province: bool) -> float:
    total = sum(ctx.values()) or 1
    score = 0.0
    if e.feature == "A.PCLI":
        score += 10
    elif e.feature == "A.ADM1":
        score += (6 if province else 1) + math.log10(e.population + 1) / 4
    else:
        score += math.log10(e.population + 1) / 2
    if e.geonameid is None:  # curated extras are well-known places
        score += 1
    if e.country in ctx:
        score += 2 + 3 * ctx[e.country] / total
    return score


def _well_known(e: GazEntry) -> bool:
    return e.feature in ("A.PCLI", "A.ADM1") or e.geonameid is None or e.population >= 100_000


def _resolve(gaz: Gazetteer, doc: Doc, c: _Cand, ctx: Counter[str], fuzzy: bool) -> None:
    """Attach the best gazetteer entry for the candidate's words, if any."""
    text = doc[c.start : c.end].text
    if text.lower() in lexicon()["not_places"] or text in lexicon()["demonyms"]:
        return
    ranked = gaz.lookup_ranked(text, fuzzy=fuzzy)
    if text.isupper() and len(text) <= 5:  # acronyms: 'US', 'UAE' are countries, 'SDF' is no airport
        ranked = [(e, lvl) for e, lvl in ranked
                  if lvl == 0 and (e.feature == "A.PCLI" or e.geonameid is None)]
    if not ranked:
        return
    level = ranked[0][1]
    entries = [e for e, _ in ranked]
    if not c.province:  # 'Baghdad' is the city, 'Baghdad province' the governorate
        cities = {e.country for e in entries if e.feature.startswith("P")}
        entries = [e for e in entries if not (e.feature == "A.ADM1" and e.country in cities)]
    best = max(entries, key=lambda e: _score(e, ctx, c.province))
    c.entry, c.level = best, level


def _candidates(doc: Doc) -> list[_Cand]:
    """Spans that may be toponyms: place entities, mislabelled entities, untagged proper-noun runs."""
    lex = lexicon()
    out: list[_Cand] = []
    covered: set[int] = set()
    for ent in doc.ents:
        covered.update(range(ent.start, ent.end))
        if ent.label_ in _STRONG_LABELS or ent.label_ in _WEAK_LABELS:
            s, e, prov = _trim(doc, ent.start, ent.end)
            if doc[e - 1].lower_ in ("'s", "’s"):
                e -= 1
            strong = ent.label_ in _STRONG_LABELS
            out.append(_Cand(s, e, strong, prov))
            cuts = [t.i for t in ent if t.lower_ in ("and", ",", "or")]
            for a, b in zip([ent.start - 1, *cuts], [*cuts, ent.end], strict=True):  # 'Qamishli and Kobani'
                if cuts and b - a > 1:
                    s, e, prov = _trim(doc, a + 1, b)
                    out.append(_Cand(s, e, strong, prov))
        if ent.label_ == "ORG" and ent[-1].lower_ in lex["geographic_org_heads"]:
            s = _strip_the(ent).start
            for e in range(ent.end - 1, s, -1):  # 'Nineveh Sector Operations' -> 'Nineveh'
                out.append(_Cand(s, e, False))
    i = 0
    while i < len(doc):  # proper-noun runs spaCy left untagged ('Raqqa')
        if i in covered or doc[i].tag_ not in ("NNP", "NNPS") or not doc[i].text[:1].isupper():
            i += 1
            continue
        j = i + 1
        while j < len(doc) and j not in covered and j - i < 5 and (
            (doc[j].tag_ in ("NNP", "NNPS") and doc[j].text[:1].isupper()) or doc[j].text in ("-", "al", "el")
        ):
            j += 1
        while j - i > 1 and not doc[j - 1].text[:1].isupper():
            j -= 1
        s, e, prov = _trim(doc, i, j)
        if j < len(doc) and doc[j].lower_ in lex["province_words"]:
            prov = True
        out.append(_Cand(s, e, False, prov))
        i = j
    return out


def _person_tokens(doc: Doc) -> set[str]:
    """Words used in people's full names in this article ('Soleimani', 'Assad'): not toponyms alone."""
    words: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            words.update(t.lower_ for t in ent if t.is_alpha and t.lower_ not in _NAME_PARTICLES)
    return words


def _locative(doc: Doc, start: int) -> bool:
    """A locative preposition before the span, looking past qualifiers ('southwest of', 'northern')."""
    lex = lexicon()
    i = start - 1
    while i >= 0 and (doc[i].lower_ in lex["qualifiers"] or doc[i].lower_ in ("the", "of", "-")):
        i -= 1
    return i >= 0 and doc[i].lower_ in lex["locative_prepositions"]


def _coordinated(doc: Doc, c: _Cand, accepted: list[_Cand]) -> bool:
    ends = {a.end for a in accepted}
    starts = {a.start for a in accepted}
    coord = lexicon()["coordinators"]
    before = c.start - 1 >= 0 and doc[c.start - 1].lower_ in coord and (c.start - 1) in ends
    after = c.end < len(doc) and doc[c.end].lower_ in coord and (c.end + 1) in starts
    return before or after


def _acceptable(doc: Doc, c: _Cand, ctx: Counter[str], persons: set[str], accepted: list[_Cand]) -> bool:
    e = c.entry
    if e is None:
        return False
    single_name = c.end - c.start == 1 and doc[c.start].lower_ in persons
    in_ctx = not ctx or e.country in ctx
    evidence = _locative(doc, c.start) or _coordinated(doc, c, accepted)
    if single_name and not _locative(doc, c.start):
        return False
    if c.strong:
        if c.level == 2:
            return in_ctx and (evidence or _well_known(e))
        return _well_known(e) or in_ctx or e.population >= 1000
    if c.level == 2:
        return in_ctx and evidence
    if _well_known(e) and (in_ctx or e.feature == "A.PCLI"):
        return True
    return evidence and (in_ctx or e.population >= 100_000)


def resolve_places(doc: Doc, gazetteer: Gazetteer | None = None) -> list[Place]:
    """Every toponym mention of the document, resolved to a gazetteer place, in text order."""
    gaz = gazetteer or load_gazetteer()
    ctx = _country_context(doc, gaz)
    persons = _person_tokens(doc)
    cands = _candidates(doc)
    for c in cands:
        _resolve(gaz, doc, c, ctx, fuzzy=True)
    for c in cands:  # places spaCy is sure of also say which countries the article is about
        if c.strong and c.level == 0 and c.entry and c.entry.country and c.entry.feature != "A.PCLI":
            ctx[c.entry.country] += 1
    accepted: list[_Cand] = []
    changed = True
    while changed:  # acceptance spreads along coordinations: 'Deir al-Zour, Raqqa, Albu Kamal'
        changed = False
        for c in cands:
            if not c.accepted and _acceptable(doc, c, ctx, persons, accepted):
                c.accepted, changed = True, True
                accepted.append(c)
    chosen: list[_Cand] = []
    taken: set[int] = set()
    for c in sorted(accepted, key=lambda c: (not c.strong, -(c.end - c.start), c.start)):
        if taken.isdisjoint(range(c.start, c.end)):
            chosen.append(c)
            taken.update(range(c.start, c.end))
    places = []
    for c in sorted(chosen, key=lambda c: c.start):
        span, e = doc[c.start : c.end], c.entry
        assert e is not None
        lat = None if e.lat is None or math.isnan(e.lat) else e.lat
        lon = None if e.lon is None or math.isnan(e.lon) else e.lon
        places.append(Place(span.text, span.start_char, span.end_char, e.name, e.country, e.admin1, lat, lon,
                            e.geonameid, e.feature))
    return places
