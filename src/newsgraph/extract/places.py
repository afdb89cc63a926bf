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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.attrs import IS_UPPER, ORTH, TAG
from spacy.tokens import Doc, Span

from newsgraph.extract.gazetteer import GazEntry, Gazetteer, load_gazetteer, skeleton_key
from newsgraph.extract.gazetteer import norm_key as _norm_key
from newsgraph.extract.nlp import doc_cache, doc_ents
from newsgraph.model import Place

norm_key = lru_cache(maxsize=1 << 16)(_norm_key)  # pure, and the same names recur in every article

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
    lex["abbreviations"] = {abbr: (cc, name) for cc, table in (lex.get("region_abbreviations") or {}).items()
                            for abbr, name in table.items()}
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
    entries: list[GazEntry] = field(default_factory=list)  # every reading at the best match level
    primary: set[int] = field(default_factory=set)  # indices into entries whose own name is the text
    abbreviation: bool = False  # 'Va.', 'N.C.': a division named by its postal abbreviation
    cut_name: bool = False  # a capitalised qualifier of the name was cut ('West Wing' -> 'Wing')


class _Words:
    """A document's tokens as the Doc's arrays hold them (string hashes of each text and tag, and whether
    it is upper case), read once per document inside nlp.parsed_once: the loops over every token below
    would otherwise make a Token object, and its strings, for each word at each look."""

    def __init__(self, doc: Doc) -> None:
        self.strings = doc.vocab.strings
        self.columns: list[list[int]] = doc.to_array([ORTH, TAG, IS_UPPER]).tolist()
        self._texts: dict[int, str] = {}

    def text(self, i: int) -> str:
        """doc[i].text: the string of its ORTH hash."""
        found = self._texts.get(i)
        if found is None:
            found = self._texts[i] = self.strings[self.columns[i][0]]
        return found


def _words(doc: Doc) -> _Words:
    shared = doc_cache(doc)
    found = shared.get("place_words") if shared is not None else None
    if found is None:
        found = _Words(doc)
        if shared is not None:
            shared["place_words"] = found
    return found


@lru_cache(maxsize=1)
def _demonym_hashes() -> frozenset[int]:
    from spacy.strings import hash_string

    return frozenset(hash_string(k) for k in lexicon()["demonyms"])


def _country_context(doc: Doc, gaz: Gazetteer) -> Counter[str]:
    """How often each country is named or referred to by a demonym: the article's geography."""
    demonyms = lexicon()["demonyms"]
    ctx: Counter[str] = Counter()
    words = _words(doc)
    named = _demonym_hashes()  # a word whose hash is none of these is no demonym as it is written
    blank = demonyms.get("")
    for i, (orth, _, upper) in enumerate(words.columns):  # (spaCy's is_upper is str.isupper of the word)
        cc = demonyms.get(words.text(i)) if orth in named else None
        if not cc:
            cc = demonyms.get(words.text(i).title()) if upper else blank
        if cc:
            ctx[cc] += 1
    for ent in doc_ents(doc):
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


def _trim(doc: Doc, start: int, end: int, gaz: Gazetteer | None = None) -> tuple[int, int, bool]:
    """Toponym part of a span: no leading article/qualifier, no trailing 'province' or 'city'.

    A name the gazetteer knows with its qualifier or generic word ('South Africa', 'Eastern Ghouta',
    'New York City') stays whole; province words are always cut ('Diyala province' -> 'Diyala').
    """
    lex = lexicon()
    while end - start > 1 and doc[start].lower_ in ("the", "a"):
        start += 1
    whole_start, whole_end = start, end
    province = False
    while end - start > 1 and doc[end - 1].lower_ in lex["province_words"] | lex["generic_words"]:
        province = province or doc[end - 1].lower_ in lex["province_words"]
        end -= 1
    while end - start > 1 and (doc[start].lower_ in ("the", "a") or doc[start].lower_ in lex["qualifiers"]):
        start += 1
    if gaz is not None and (start, end) != (whole_start, whole_end):
        keep_end = end if province else whole_end
        if (whole_start, keep_end) != (start, end) and gaz.lookup_ranked(doc[whole_start:keep_end].text,
                                                                         fuzzy=False):
            return whole_start, keep_end, province
    return start, end, province


# ---------------------------------------------------------------- scoring

_MACRO = ("A.PCLI", "L.CONT")


@dataclass
class _Focus:
    """Where the article is: divisions it names and points of places it resolves without doubt."""

    admin1: set[tuple[str | None, str]] = field(default_factory=set)
    points: list[tuple[float, float, str]] = field(default_factory=list)  # lat, lon, the mention's text

    def bonus(self, e: GazEntry, text: str) -> float:
        score = 0.0
        if e.admin1 and (e.country, e.admin1) in self.admin1 and e.feature != "A.ADM1":
            score += 1.5
        if e.feature.startswith("P") or e.feature.startswith("S") or e.feature == "A.ADM1":
            near = min((_km(e.lat, e.lon, lat, lon) for lat, lon, t in self.points if t != text), default=math.inf)
            score += 1.5 if near <= 200 else 0.75 if near <= 500 else 0.0
        return score


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    if any(math.isnan(v) for v in (lat1, lon1, lat2, lon2)):
        return math.inf
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _score(e: GazEntry, ctx: Counter[str], province: bool, primary: bool = False,
           focus: _Focus | None = None, text: str = "") -> float:
    """Prior of a reading (log population, kind of place) plus the article's context.

    One order of magnitude of population is worth one point; a country the article is about is worth
    1.5-3 points, so a town in it beats a namesake ten to a hundred times larger elsewhere, but not a
    world city ('London', 'Toronto' in an American article).
    """
    pop = math.log10(e.population + 1) if e.population else 3.0  # GeoNames' 0 is 'unknown': a village
    if e.feature in _MACRO:
        score = 12.0
    elif e.feature == "A.ADM1":
        score = pop + (4 if province else 1)
    elif e.country is None:  # oceans, seas and regions across borders
        score = 9.0
    elif e.feature == "A.ADM2":  # counties: as populous towns
        score = pop
    elif e.geonameid is None:  # curated extras: well-known districts, crossings, camps, regions
        score = pop + 2
    else:
        score = pop
        if primary:  # a capital or a world city by its own name, not by an old one ('Salisbury' is not Harare)
            score += (2 if e.feature == "P.PPLC" else 0) + (1 if e.population >= 1_000_000 else 0)
    if primary:
        score += 1.5
    if e.country in ctx:
        total = sum(ctx.values()) or 1
        score += 1.5 + 1.5 * ctx[e.country] / total
    if focus is not None:
        score += focus.bonus(e, text)
    return score


def _well_known(e: GazEntry) -> bool:
    return e.feature in ("A.PCLI", "A.ADM1", "L.CONT") or e.geonameid is None or e.population >= 100_000


def _abbreviation(doc: Doc, c: _Cand) -> tuple[str, str] | None:
    """(country, division name) for a postal abbreviation in a context that makes it one."""
    if c.end - c.start != 1:
        return None
    tok = doc[c.start]
    hit = lexicon()["abbreviations"].get(tok.text)
    if hit is None:
        return None
    if tok.text.count(".") >= 2:
        return hit
    after_town = c.start >= 2 and doc[c.start - 1].text == "," and doc[c.start - 2].text[:1].isupper()
    return hit if after_town else None


def _same_name(name: str, key: str) -> bool:
    """``name`` is ``key`` itself (or a transliteration of it), not merely listed with it as an alternate."""
    own = norm_key(name)
    return own == key or skeleton_key(own) == skeleton_key(key)


def _namesake_seat(city: GazEntry, division: GazEntry, key: str) -> bool:
    """A city of the division's name inside it ('Idlib' in Idlib), or the country's capital ('Washington')."""
    if not city.feature.startswith("P") or city.country != division.country:
        return False
    if city.feature == "P.PPLC" and _same_name(city.name, key):
        return True
    inside = city.admin1 == division.admin1 or city.admin1 is None
    share = city.population / max(division.population, 1)
    # by its own name a seat of some size; by an alternate name ('New York') only a city that dominates
    return inside and (share >= 0.25 or (share >= 0.05 and _same_name(city.name, key)))


def _resolve(gaz: Gazetteer, doc: Doc, c: _Cand, ctx: Counter[str], fuzzy: bool) -> None:
    """Attach the readings of the candidate's words and the best of them, if any."""
    text = doc[c.start : c.end].text
    if text.lower() in lexicon()["not_places"] or text in lexicon()["demonyms"]:
        return
    abbr = _abbreviation(doc, c)
    if abbr is not None:
        cc, name = abbr
        ranked = [(e, 0) for e in gaz.lookup(name, fuzzy=False) if e.country == cc and e.feature == "A.ADM1"]
        c.abbreviation = bool(ranked)
        text = name
    elif text.endswith(".") and len(text) <= 6:  # abbreviations: 'U.S.' is known, 'Va.' is not 'Wa'
        ranked = [(e, lvl) for e, lvl in gaz.lookup_ranked(text, fuzzy=False)
                  if e.feature == "A.PCLI" or e.geonameid is None]
    else:
        ranked = gaz.lookup_ranked(text, fuzzy=fuzzy)
    if text.isupper() and len(text) <= 5:  # acronyms: 'US', 'UAE' are countries, 'SDF' is no airport
        ranked = [(e, lvl) for e, lvl in ranked
                  if lvl == 0 and (e.feature == "A.PCLI" or e.geonameid is None)]
    if not ranked:
        return
    level = ranked[0][1]
    entries = [e for e, _ in ranked]
    key = norm_key(text)
    if not c.province:  # 'Baghdad', 'Idlib' are the cities, 'Baghdad province' the governorate
        entries = [a for a in entries
                   if not (a.feature == "A.ADM1" and any(_namesake_seat(e, a, key) for e in entries))]
    c.entries = entries
    # readings by their own name (or by a curated one) beat readings by one of many alternate names
    c.primary = {i for i, e in enumerate(entries) if e.geonameid is None or norm_key(e.name) == key}
    c.level = level
    c.entry = _best(c, ctx)


def _in_region(e: GazEntry, region: GazEntry) -> bool:
    """``e`` lies in ``region`` (a country or a first-level division)."""
    return e.country == region.country and (region.feature == "A.PCLI" or e.admin1 == region.admin1)


def _best(c: _Cand, ctx: Counter[str], focus: _Focus | None = None, text: str = "",
          region: GazEntry | None = None) -> GazEntry | None:
    """The best-scoring reading; only those inside ``region`` when one is given ('Gainesville, Va.')."""
    pool = [(i, e) for i, e in enumerate(c.entries) if region is None or _in_region(e, region)]
    if not pool:
        return c.entry
    return max(pool, key=lambda ie: _score(ie[1], ctx, c.province, ie[0] in c.primary, focus, text))[1]


def _candidates(doc: Doc, gaz: Gazetteer | None = None) -> list[_Cand]:
    """Spans that may be toponyms: place entities, mislabelled entities, untagged proper-noun runs."""
    lex = lexicon()
    out: list[_Cand] = []
    covered: set[int] = set()
    for ent in doc_ents(doc):
        covered.update(range(ent.start, ent.end))
        if ent.label_ in _STRONG_LABELS or ent.label_ in _WEAK_LABELS:
            s, e, prov = _trim(doc, ent.start, ent.end, gaz)
            if doc[e - 1].lower_ in ("'s", "’s"):
                e -= 1
            strong = ent.label_ in _STRONG_LABELS
            out.append(_Cand(s, e, strong, prov))
            # 'Qamishli and Kobani'; 'Deir ez-Zor Province Al-Qaryatayn' (a province word inside the span)
            cuts = [t.i for t in ent if t.lower_ in ("and", ",", "or")
                    or (t.lower_ in lex["province_words"] and ent.start < t.i < ent.end - 1)]
            for a, b in zip([ent.start - 1, *cuts], [*cuts, ent.end], strict=True):
                if cuts and b - a > 1:
                    keep = b < ent.end and doc[b].lower_ in lex["province_words"]
                    s, e, prov = _trim(doc, a + 1, b + 1 if keep else b, gaz)
                    out.append(_Cand(s, e, strong, prov))
        if ent.label_ == "ORG" and ent[-1].lower_ in lex["geographic_org_heads"]:
            s = _strip_the(ent).start
            for e in range(ent.end - 1, s, -1):  # 'Nineveh Sector Operations' -> 'Nineveh'
                out.append(_Cand(s, e, False))
    i = 0
    words = _words(doc)
    proper = _proper_tag_hashes(words.strings)
    tags = [tag in proper for _, tag, _ in words.columns]  # tagged NNP or NNPS
    text = words.text
    n = len(tags)
    while i < n:  # proper-noun runs spaCy left untagged ('Raqqa')
        if i in covered or not tags[i] or not text(i)[:1].isupper():
            i += 1
            continue
        j = i + 1
        while j < n and j not in covered and j - i < 5 and (
            (tags[j] and text(j)[:1].isupper()) or text(j) in ("-", "al", "el")
        ):
            j += 1
        while j - i > 1 and not text(j - 1)[:1].isupper():
            j -= 1
        s, e, prov = _trim(doc, i, j, gaz)
        if j < len(doc) and doc[j].lower_ in lex["province_words"]:
            prov = True
        out.append(_Cand(s, e, False, prov))
        i = j
    qualifiers = lex["qualifiers"]
    for c in out:
        c.cut_name = c.start > 0 and doc[c.start - 1].lower_ in qualifiers and doc[c.start - 1].text[:1].isupper()
    if gaz is not None:
        out.extend(_joined(doc, out, gaz))
        out.extend(_extended(doc, out, gaz))
    return out


def _proper_tag_hashes(strings) -> frozenset[int]:
    return frozenset(strings.as_int(tag) for tag in ("NNP", "NNPS"))


_ARABIC_ARTICLES = {"al", "el", "ez", "es", "ed", "er", "ad", "ar", "as", "az", "an", "at", "ash", "ul", "ud"}


def _extended(doc: Doc, cands: list[_Cand], gaz: Gazetteer) -> list[_Cand]:
    """Longer names the gazetteer knows around a candidate: a qualifier that is part of the name ('eastern
    Ghouta', 'northeastern Syria'), a word spaCy left out ('Latin America') and transliterated tails it cut
    ('Deir' + 'ez-Zor')."""
    out = []
    qualifiers = lexicon()["qualifiers"]
    for c in cands:
        # a qualifier or a capitalised word the entity left out: 'Latin America', 'NEW DELHI', 'Boa Vista'
        if c.start > 0 and (doc[c.start - 1].lower_ in qualifiers or doc[c.start - 1].text[:1].isupper()):
            if gaz.lookup_ranked(doc[c.start - 1 : c.end].text, fuzzy=False):
                out.append(_Cand(c.start - 1, c.end, c.strong, c.province))
        if c.end < len(doc) and doc[c.end].text[:1].isupper() and doc[c.end].is_alpha:
            if gaz.lookup_ranked(doc[c.start : c.end + 1].text, fuzzy=False):
                out.append(_Cand(c.start, c.end + 1, c.strong, c.province))
        j = c.end
        while j < len(doc) and j - c.end < 4 and (doc[j].text == "-" or doc[j].lower_ in _ARABIC_ARTICLES
                                                   or doc[j].lower_.split("-")[0] in _ARABIC_ARTICLES):
            j += 1
        if j > c.end and j < len(doc) and doc[j].text[:1].isupper():
            ranked = gaz.lookup_ranked(doc[c.start : j + 1].text, fuzzy=True)
            if ranked and ranked[0][1] < 2:
                prov = j + 1 < len(doc) and doc[j + 1].lower_ in lexicon()["province_words"]
                out.append(_Cand(c.start, j + 1, c.strong, prov))
    return out


def _joined(doc: Doc, cands: list[_Cand], gaz: Gazetteer) -> list[_Cand]:
    """Names spaCy splits at a comma or 'and': 'Washington, D.C.', 'Trinidad and Tobago'."""
    by_start = {c.start: c for c in cands}
    out = []
    for a in cands:
        b = by_start.get(a.end + 1)
        if b is None or a.end >= len(doc) or doc[a.end].lower_ not in (",", "and", "&"):
            continue
        if any(e.feature in ("A.PCLI", "A.ADM1") or e.feature.startswith("P")
               for e, _ in gaz.lookup_ranked(doc[a.start : b.end].text, fuzzy=False)):
            out.append(_Cand(a.start, b.end, a.strong or b.strong, b.province))
    return out


def _person_tokens(doc: Doc) -> set[str]:
    """Words used in people's full names in this article ('Soleimani', 'Assad'): not toponyms alone."""
    words: set[str] = set()
    for ent in doc_ents(doc):
        if ent.label_ == "PERSON" and len(ent) > 1:
            words.update(t.lower_ for t in ent if t.is_alpha and t.lower_ not in _NAME_PARTICLES)
    return words


def _locative(doc: Doc, start: int) -> bool:
    """A locative preposition before the span, looking past qualifiers ('southwest of', 'northern')."""
    lex = lexicon()
    if start >= 2 and doc[start - 1].lower_ == "of" and (
        doc[start - 2].lower_ in lex["generic_words"] | lex["province_words"] | {"outskirts", "towns", "villages",
                                                                                  "cities", "countryside"}):
        return True  # 'the city of Manbij', 'the outskirts of Aleppo'
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
    if c.cut_name and not _well_known(e):  # 'West Wing' is no village 'Wing'; 'East Aleppo' is Aleppo
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
    cands = _candidates(doc, gaz)
    for c in cands:
        _resolve(gaz, doc, c, ctx, fuzzy=True)
    named = Counter(ctx)  # the countries the article names, before its places add theirs
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
    chosen.sort(key=lambda c: c.start)
    _refine(doc, chosen, ctx)
    chosen = _plausible(doc, chosen, named)
    places = []
    for c in chosen:
        span, e = doc[c.start : c.end], c.entry
        assert e is not None
        lat = None if e.lat is None or math.isnan(e.lat) else e.lat
        lon = None if e.lon is None or math.isnan(e.lon) else e.lon
        places.append(Place(span.text, span.start_char, span.end_char, e.name, e.country, e.admin1, lat, lon,
                            e.geonameid, e.feature, _qualifier(doc, c.start)))
    return places


def _qualifier(doc: Doc, start: int) -> str | None:
    """'southwest of' in 'southwest of Mosul', 'east' in 'east Aleppo', 'the outskirts of': kept apart from the
    toponym, which stays the gazetteer's place."""
    lex = lexicon()
    words = lex["qualifiers"] | {"outskirts", "countryside", "suburbs", "edge", "outside"}
    i = start - 1
    if i >= 0 and doc[i].lower_ == "of":
        i -= 1
    if i < 0 or doc[i].lower_ not in words:
        return None
    first = i
    while first - 1 >= 0 and doc[first - 1].lower_ in words | {"-"}:
        first -= 1
    return doc[first:start].text.lower()


def _sure(c: _Cand, ctx: Counter[str]) -> bool:
    """The reading is not in doubt: one place by that name, or far ahead of every distant namesake."""
    e = c.entry
    if e is None:
        return False
    if c.abbreviation or len(c.entries) == 1:
        return True
    best = _score(e, ctx, c.province, c.entries.index(e) in c.primary)
    rivals = [_score(x, ctx, c.province, i in c.primary) for i, x in enumerate(c.entries)
              if x is not e and _km(x.lat, x.lon, e.lat, e.lon) > 100]
    return not rivals or best - max(rivals) >= 3


def _refine(doc: Doc, chosen: list[_Cand], ctx: Counter[str]) -> None:
    """Second look at ambiguous names with what the article settled: 'Gainesville, Va.' is the one in
    Virginia; 'Riverdale' next to 'Morris County' and 'New Jersey' is the one there."""
    by_start = {c.start: c for c in chosen}
    sure = {id(c) for c in chosen if _sure(c, ctx)}
    for c in chosen:  # 'Town, Region': the town's reading inside the region settles it
        after = by_start.get(c.end + 1)
        if (len(c.entries) > 1 and not c.abbreviation and after and after.entry and doc[c.end].text == ","
                and after.entry.feature in ("A.ADM1", "A.PCLI") and id(after) in sure):
            inside = _best(c, ctx, region=after.entry)
            if inside is not None and _in_region(inside, after.entry):
                c.entry = inside
                sure.add(id(c))
    focus = _Focus()
    for c in chosen:
        e = c.entry
        if e is None or id(c) not in sure:
            continue
        if e.feature == "A.ADM1" or c.abbreviation:
            focus.admin1.add((e.country, e.admin1 or e.name))
        elif e.feature.startswith("P") or e.feature.startswith("S"):
            if e.admin1:
                focus.admin1.add((e.country, e.admin1))
            focus.points.append((e.lat, e.lon, doc[c.start : c.end].text))
    for c in chosen:
        if len(c.entries) > 1 and id(c) not in sure:
            c.entry = _best(c, ctx, focus, doc[c.start : c.end].text)
    # once more with every place now read as the article's geography ('Gloucester' beside 'Cheltenham')
    near = _Focus(admin1=focus.admin1, points=[(c.entry.lat, c.entry.lon, doc[c.start : c.end].text) for c in chosen
                          if c.entry is not None and c.entry.feature[0] in "PS"])
    for c in chosen:
        if len(c.entries) > 1 and id(c) not in sure:
            c.entry = _best(c, ctx, near, doc[c.start : c.end].text)


def _plausible(doc: Doc, chosen: list[_Cand], named: Counter[str]) -> list[_Cand]:
    """Drop small places far from everything else the article is about: 'the district of Marjeh' in an
    article on Aleppo is no Iranian village 2,000 km away, and no place at all is better than that one."""
    points = [(c.entry.lat, c.entry.lon) for c in chosen if c.entry is not None and c.entry.feature[0] in "PS"
              and c.entry.country in named]
    if not points:
        return chosen
    kept = []
    for c in chosen:
        e = c.entry
        if (e is not None and e.feature[0] in "PS" and e.country not in named and not _well_known(e)
                and min(_km(e.lat, e.lon, lat, lon) for lat, lon in points) > 1000):
            continue
        kept.append(c)
    return kept

