"""Actor mentions: dictionary ruler over spaCy's NER, repairs, and in-document short forms."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span

from newsgraph.extract.dictionary import ActorDictionary
from newsgraph.extract.nlp import doc_ents, doc_text
from newsgraph.model import Mention
from newsgraph.resources import load_yaml
from newsgraph.text import norm_key

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
CAPITAL_PREFIX = "@"  # ruler id of a capital: an actor only when used as one (metonymy)
CONTEXT_PREFIX = "?"  # ruler id of a context alias: the actor only in an article about its country
ACTOR_DEPS = {"nsubj", "nsubjpass", "poss", "agent"}


def _variants(alias: str) -> list[str]:
    forms = {alias}
    if alias[:1].islower():
        forms.add(alias[0].upper() + alias[1:])
    if alias.lower().startswith("al-"):
        forms.add("Al-" + alias[3:])
        forms.add(alias[3:])  # "al-Nujaba" -> "Nujaba" is a common short form
    return sorted(forms)


def ruler_patterns(dictionary: ActorDictionary) -> list[dict]:
    patterns = []
    for actor in dictionary.actors.values():
        for alias in ActorDictionary.surface_forms(actor):
            for form in _variants(alias):
                patterns.append({"label": actor.type, "pattern": form, "id": actor.id})
        for adjective in actor.adjectives:
            patterns.append({"label": "NORP", "pattern": adjective, "id": actor.id})
        if actor.capital:
            patterns.append({"label": "GPE", "pattern": actor.capital, "id": CAPITAL_PREFIX + actor.id})
        for alias in actor.context_aliases:
            for form in _variants(alias):
                patterns.append({"label": actor.type, "pattern": form, "id": CONTEXT_PREFIX + actor.id})
    return patterns


def named_countries(doc: Doc, dictionary: ActorDictionary) -> Counter[str]:
    """How often the article names each state the dictionary knows (names, adjectives, capitals)."""
    counts: Counter[str] = Counter()
    for ent in doc_ents(doc):
        actor = dictionary.actors.get(ent.ent_id_.lstrip(CAPITAL_PREFIX + CONTEXT_PREFIX)) if ent.ent_id_ else None
        if actor is not None and actor.type == "GPE" and actor.country:
            counts[actor.country] += 1
    return counts


def focus_countries(doc: Doc, dictionary: ActorDictionary) -> set[str]:
    """The countries an article is most about: the most often named states."""
    counts = named_countries(doc, dictionary)
    if not counts:
        return set()
    top = max(counts.values())
    return {c for c, n in counts.items() if n == top}


@Language.component("newsgraph_keep_ner")
def keep_ner(doc: Doc) -> Doc:
    """Remember the statistical entities before the ruler overwrites them (see _longer_person)."""
    doc.user_data["ner_ents"] = [(e.start, e.end, e.label_) for e in doc.ents]
    return doc


def add_actor_ruler(nlp: Language, dictionary: ActorDictionary) -> EntityRuler:
    """A ruler after the statistical NER that overwrites it where the dictionary knows better."""
    nlp.add_pipe("newsgraph_keep_ner", after="ner")
    ruler = nlp.add_pipe("entity_ruler", name="actor_ruler", after="newsgraph_keep_ner",
                         config={"overwrite_ents": True})
    # the ruler matches phrases on their words (ORTH), which the tokenizer alone gives: spaCy would
    # otherwise run every pattern through the tagger, parser and NER first, seconds at each start
    assert ruler.phrase_matcher_attr in (None, "ORTH")
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(ruler_patterns(dictionary))
    return ruler


def _longer_person(doc: Doc, ent: Span) -> Span | None:
    """'Hafez al-Assad' is not 'al-Assad' (Bashar): a person the NER saw with more name before the alias."""
    if ent.label_ != "PERSON" or " " in ent.text:
        return None  # only a bare surname alias ("al-Assad", "Assad") can be someone else's surname
    taken = {t.i for e in doc_ents(doc) if e != ent for t in e}
    for start, end, label in doc.user_data.get("ner_ents", []):
        if (label == "PERSON" and start < ent.start and end >= ent.end and doc[start].is_title
                and not taken.intersection(range(start, ent.start))):
            return doc[start:end]
    return None


_TITLES: list[str] | None = None
_NOT_ACTORS: set[str] | None = None


def _lexicon() -> tuple[list[str], set[str]]:
    global _TITLES, _NOT_ACTORS
    if _TITLES is None:
        data = load_yaml("lexicon", "titles.yaml")
        _TITLES = sorted(data["titles"], key=len, reverse=True)
        _NOT_ACTORS = {norm_key(x) for x in data["not_actors"]}
    return _TITLES, _NOT_ACTORS or set()


def _junk_words() -> set[str]:
    return set(load_yaml("lexicon", "titles.yaml")["junk_words"])


def _org_words() -> tuple[set[str], set[str]]:
    data = load_yaml("lexicon", "titles.yaml")
    return set(data["org_first_words"]), set(data["org_last_words"])


def looks_like_org(name: str) -> bool:
    words = name.split()
    first, last = _org_words()
    return bool(words) and (words[0] in first or words[-1] in last)


_BAD_CHARS = re.compile("[\ufffd©®™|]")
_LEAD_JUNK = {"Tags", "Tag", "Related", "Slideshow", "Photo", "Video", "Watch", "Source", "Image"}


def looks_like_place(name: str) -> bool:
    data = load_yaml("lexicon", "place_context.yaml")
    words = name.split()
    if len(words) < 2 or looks_like_org(name):
        return False
    return words[0] in data["place_first_words"] or words[-1] in data["place_last_words"]


def _split_entities(doc: Doc, dictionary: ActorDictionary, is_place: Callable[[str], bool] | None) -> list[Span]:
    """Entity spans repaired where flattened scraping glued words onto a name: a leading 'Tags' / 'Related',
    and apostrophe-less possessives of a country or place inside the span ('Syrias Aleppo' is Syria + Aleppo).
    """
    out: list[Span] = []
    for ent in doc_ents(doc):
        if ent.ent_id_ or len(ent) < 2 or ent.label_ not in ACTOR_LABELS:
            out.append(ent)
            continue
        start = ent.start
        while start < ent.end - 1 and doc[start].text in _LEAD_JUNK:
            start += 1
        cuts = []
        for tok in doc[start : ent.end]:
            word = tok.text
            if len(word) > 3 and word.endswith("s") and word[0].isupper() and not dictionary.lookup(word):
                stem = word[:-1]
                known = dictionary.lookup(stem)
                if (known and known[0].type == "GPE") or (
                        not known and is_place is not None and is_place(stem) and not is_place(word)):
                    cuts.append(tok.i)
        if not cuts and start == ent.start:
            out.append(ent)
            continue
        bounds = [start] + [b for c in cuts for b in (c, c + 1)] + [ent.end]
        for a, b in zip(bounds, bounds[1:], strict=False):
            if b > a:
                out.append(Span(doc, a, b, label="GPE" if b - a == 1 and a in cuts else ent.label_))
    return out


_NAME_WORD = r"(?:(?:al|el|ad|ar|as|ash|az|Al|El)[- ])?[A-Z][\w'’-]*"


@lru_cache(maxsize=1)
def _group_name_pattern() -> re.Pattern[str]:
    first, _ = _org_words()
    return re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in sorted(first))})(?:\s+{_NAME_WORD}){{1,5}}")


def _group_names(doc: Doc) -> list[tuple[int, int]]:
    """Arabic armed-group names spaCy misses: 'Liwa Harith al Janub', 'Saraya Awliya al-Dam'."""
    return [(m.start(), m.end()) for m in _group_name_pattern().finditer(doc_text(doc))]


@lru_cache(maxsize=1)
def _title_firsts() -> frozenset[str]:
    """The first words of the titles: a name whose first word is none of them starts with no title."""
    titles, _ = _lexicon()
    return frozenset(t.split(" ", 1)[0] for t in titles)


def strip_title(name: str) -> str:
    if name.split(" ", 1)[0] not in _title_firsts():
        return name  # 'Title rest' has the title's first word first; nothing below would cut
    titles, _ = _lexicon()
    changed = True
    while changed:
        changed = False
        for title in titles:
            if name.startswith(title + " ") and len(name) > len(title) + 2:
                name = name[len(title) + 1 :]
                changed = True
    return name


_BRACKETS = re.compile(r"[\[\]]")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def clean_name(text: str) -> str:
    name = _BRACKETS.sub("", text).strip()
    name = _POSSESSIVE.sub("", name).strip()
    name = re.sub(r"^(?:the|The)\s+", "", name)
    return strip_title(name).strip(" ,.;:-\"'“”")


def _surname_key(name: str) -> str:
    last = name.split()[-1] if name.split() else name
    return norm_key(re.sub(r"^(?:al|el|Al|El)-", "", last))


def collect_mentions(doc: Doc, sentence_index: dict[int, int], dictionary: ActorDictionary,
                     is_place: Callable[[str], bool] | None = None) -> list[Mention]:
    """Actor mentions of one document, each named canonically where the dictionary or the text allows."""
    _, not_actors = _lexicon()
    junk = _junk_words()
    mentions: list[Mention] = []
    focus: set[str] | None = None
    for ent in _split_entities(doc, dictionary, is_place):
        if ent.label_ not in ACTOR_LABELS:
            continue
        ruler_id = ent.ent_id_
        longer = _longer_person(doc, ent) if ruler_id else None
        if longer is not None:
            ent, ruler_id = longer, ""
        text = ent.text.strip()
        text = _BAD_CHARS.split(text)[0].strip()
        if not text or (not ruler_id and norm_key(text) in not_actors) or not any(c.isalpha() for c in text):
            continue
        if junk.intersection(text.split()):
            continue
        actor_id = ruler_id or None
        if not actor_id and len(ent) == 1 and ent.label_ in {"ORG", "PERSON"} and ent[0].pos_ in {"ADJ", "ADV", "VERB"}:
            continue  # "Fierce clashes ...": a capitalised word at the start of a sentence, not a name
        label = "PERSON" if longer is not None else ent.label_
        if actor_id is None and label in {"ORG", "PERSON"} and is_place is not None and is_place(text):
            label = "GPE"  # "Homs", "Daraa", "Palmyra" tagged as people or organisations are places
        if actor_id and actor_id.startswith(CAPITAL_PREFIX):
            actor_id = actor_id[1:] if _used_as_actor(ent) else None
        if actor_id and actor_id.startswith(CONTEXT_PREFIX):
            if focus is None:
                focus = focus_countries(doc, dictionary)
            actor = dictionary.actors.get(actor_id[1:])
            if actor is None or actor.country not in focus:
                continue  # "government forces" in an article about Iraq are not Assad's
            actor_id = actor.id
        if (actor_id is None and text.endswith("s") and not text.endswith(("'s", "’s"))
                and not dictionary.lookup(text)):
            # scraped text that lost its apostrophes: "Syrias army", "Aleppos east"
            stem = text[:-1]
            known = dictionary.lookup(stem)
            if len(known) == 1:
                actor_id, text = known[0].id, stem
            elif is_place is not None and is_place(stem) and not is_place(text):
                text, label = stem, "GPE"
        if actor_id is None:
            known = dictionary.lookup(clean_name(text))
            if len(known) == 1:
                actor_id = known[0].id
            elif not known and label in {"PERSON", "ORG"}:
                close = dictionary.fuzzy(clean_name(text), label)
                actor_id = close.id if close else None
        if actor_id is None and label == "NORP":
            continue  # "Shia", "Kurdish": descriptions, not actors, unless the dictionary knows them
        if actor_id is None and label == "PERSON" and looks_like_org(clean_name(text)):
            label = "ORG"
        if actor_id is None and label in {"PERSON", "ORG"} and looks_like_place(clean_name(text)):
            label = "GPE"
        actor = dictionary.actors.get(actor_id) if actor_id else None
        name = actor.name if actor else clean_name(text)
        if not name:
            continue
        mentions.append(
            Mention(
                text=text,
                start=ent.start_char,
                end=ent.start_char + len(text),
                label=actor.type if actor else label,
                sentence=sentence_index[ent.start],
                actor_id=actor_id,
                name=name,
                country=actor.country if actor else None,
            )
        )
    mentions = _bracketed_names(doc, sentence_index, dictionary, mentions)
    mentions = _add_spans(doc, sentence_index, dictionary, mentions, _group_names(doc) + _defined_acronyms(doc))
    mentions = discover_aliases(doc, sentence_index, mentions)
    _resolve_short_forms(mentions)
    _places_by_context(doc, mentions)
    return mentions


def _place_context() -> tuple[set[str], set[str]]:
    data = load_yaml("lexicon", "place_context.yaml")
    return set(data["place_nouns"]), set(data["place_prepositions"])


def _placed(doc: Doc, m: Mention, places: set[int]) -> bool:
    """Is this name used as a place here: after 'the villages of' / 'near', before 'district', or
    coordinated with a place?"""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    nouns, preps = _place_context()
    before = [t for t in doc[max(0, span.start - 3) : span.start] if t.lower_ not in {"the", "of", "and", ","}]
    prev = doc[span.start - 1] if span.start > 0 else None
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is not None and nxt.tag_ == "POS":
        return False
    if nxt is not None and nxt.lower_ in nouns:
        return True
    if span.start >= 2 and doc[span.start - 1].lower_ in {"of", "the"} and any(t.lower_ in nouns for t in before):
        return True
    if prev is not None and prev.lower_ in preps and (prev.lower_ != "in" or not looks_like_org(m.name or m.text)):
        return True
    root = span.root
    partners = [root.head] if root.dep_ == "conj" else []
    partners += [c for c in root.children if c.dep_ == "conj"]
    return any(p.i in places for p in partners)


def _places_by_context(doc: Doc, mentions: list[Mention]) -> None:
    """Villages and districts the gazetteer does not know, tagged as people or organisations."""
    places = {t.i for m in mentions if m.label in {"GPE", "LOC", "FAC"}
              for t in (doc.char_span(m.start, m.end, alignment_mode="expand") or [])}
    places |= {t.i for e in doc_ents(doc) if e.label_ in {"GPE", "LOC", "FAC"} for t in e}
    for _ in range(2):  # a second round for names coordinated with one just found ("al-Foua and Kefraya")
        placed = {norm_key(m.text) for m in mentions
                  if m.actor_id is None and m.label in {"PERSON", "ORG"} and _placed(doc, m, places)}
        if not placed:
            return
        for m in mentions:
            if m.actor_id is None and m.label in {"PERSON", "ORG"} and norm_key(m.text) in placed:
                m.label = "GPE"
                places |= {t.i for t in (doc.char_span(m.start, m.end, alignment_mode="expand") or [])}


# "Syrian Observatory for Human Rights (SOHR)", "Hashd al-Shaabi, also known as the Popular Mobilisation Units"
_ALIAS_AFTER = re.compile(r"\s*(?:[(\[]\s*(?:also known as |known as |or )?(?:the )?([^()\[\]\n]{2,60}?)\s*[)\]]"
                          r"|,\s*(?:also known as|known as|or|dubbed)\s+(?:the )?([A-Z][^,.;\n]{1,60}?)(?=[,.;\n]))")
_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&.'-]{1,9}")


def discover_aliases(doc: Doc, sentence_index: dict[int, int], mentions: list[Mention]) -> list[Mention]:
    """Names an article declares to be one ('X (Y)', 'X, also known as Y'): one actor, in every later mention."""
    by_start = {m.start: m for m in mentions}
    same: dict[str, Mention] = {}  # alias text -> the mention carrying the canonical identity
    for m in list(mentions):
        if m.label not in {"ORG", "PERSON"} and not (m.label == "GPE" and m.actor_id is None):
            continue
        match = _ALIAS_AFTER.match(doc_text(doc), m.end)
        if match is None:
            continue
        alias = (match.group(1) or match.group(2) or "").strip()
        alias_start = match.start(1) if match.group(1) else match.start(2)
        other = by_start.get(alias_start) or by_start.get(alias_start - 4)  # "(the X)"
        if other is None and not _ACRONYM.fullmatch(alias):
            continue  # an explanation in brackets, not a name
        if other is not None and other.actor_id and m.actor_id and other.actor_id != m.actor_id:
            continue  # the dictionary knows them as two
        if other is not None and (other.label != m.label or other.label not in {"ORG", "PERSON"}):
            continue  # "BEIRUT (Sputnik)" is a dateline, not two names of one actor
        if m.text.isupper() and len(m.text) > 6:
            continue
        main, short = (other, m) if other is not None and other.actor_id and not m.actor_id else (m, other)
        if other is not None and not main.actor_id and len(other.name or "") > len(m.name or ""):
            main, short = other, m
        same[alias] = main
        same[m.text] = main
        if short is not None:
            _adopt(short, main)
    if not same:
        return mentions
    for m in mentions:
        target = same.get(m.text)
        if target is not None and target is not m:
            _adopt(m, target)
    # bare acronyms spaCy did not tag: "SOHR said"
    covered = [(m.start, m.end) for m in mentions]
    for alias, target in same.items():
        if not _ACRONYM.fullmatch(alias):
            continue
        for hit in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", doc_text(doc)):
            if any(s <= hit.start() < e for s, e in covered):
                continue
            span = doc.char_span(hit.start(), hit.end())
            if span is None:
                continue
            new = Mention(alias, hit.start(), hit.end(), target.label, sentence_index[span.start])
            _adopt(new, target)
            mentions.append(new)
            covered.append((hit.start(), hit.end()))
    return sorted(mentions, key=lambda m: m.start)


def _adopt(m: Mention, main: Mention) -> None:
    m.name, m.actor_id, m.country, m.label = main.name, main.actor_id, main.country, main.label


_LONG_FORM = re.compile(rf"((?:{_NAME_WORD}\s+(?:(?:of|for|the|and|de)\s+)?){{1,8}})\(([A-Z]{{2,8}})\)")


_BRACKETED_ACRONYM = re.compile(r"\(([A-Z]{2,8})\)")  # how every match of _LONG_FORM ends


def _defined_acronyms(doc: Doc) -> list[tuple[int, int]]:
    """'The Liwa Harith al-Janub (LHJ)': a long form whose initials spell the acronym in brackets after it."""
    spans: list[tuple[int, int]] = []
    text = doc_text(doc)
    if not _BRACKETED_ACRONYM.search(text):
        return spans  # no acronym in brackets: no long form to look for
    for m in _LONG_FORM.finditer(text):
        words = m.group(1).split()
        acronym = m.group(2)
        initials = [(w.split("-")[-1] or w)[0] for w in words if w[:1].isupper() or "-" in w]
        for k in range(len(initials) - len(acronym) + 1):  # the long form may start later than the match
            if "".join(initials[k:]).upper() == acronym:
                caps = [i for i, w in enumerate(words) if w[:1].isupper() or "-" in w]
                start_word = caps[k]
                start = m.start(1) + len(" ".join(words[:start_word])) + (1 if start_word else 0)
                end = m.start(1) + len(m.group(1).rstrip())
                spans.append((start, end))
                break
    return spans


def _add_spans(doc: Doc, sentence_index: dict[int, int], dictionary: ActorDictionary, mentions: list[Mention],
               spans: list[tuple[int, int]]) -> list[Mention]:
    """Organisation names found by pattern replace whatever spaCy made of those words."""
    for start, end in spans:
        known_inside = [m for m in mentions if m.actor_id and m.start < end and start < m.end]
        if any(m.start <= start for m in known_inside):
            continue  # the dictionary already names these words
        if known_inside:  # a known name follows the group's name: "Kataib X Abu Mahdi al-Muhandis"
            cut = min(m.start for m in known_inside)
            end = start + len(doc_text(doc)[start:cut].rstrip())
        text = doc_text(doc)[start:end]
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(text.split()) < 2:
            continue
        known = dictionary.lookup(text)
        actor = known[0] if len(known) == 1 else None
        mentions = [m for m in mentions if m.end <= start or m.start >= end]
        mentions.append(Mention(text=text, start=start, end=end, label=actor.type if actor else "ORG",
                                sentence=sentence_index[span.start], actor_id=actor.id if actor else None,
                                name=actor.name if actor else clean_name(text),
                                country=actor.country if actor else None))
    return sorted(mentions, key=lambda m: m.start)


# "[Mohammed Shia al-] Sudani": an editor's insertion splits the name; spaCy sees two names.
_BRACKETED = re.compile(r"\[((?:[A-Z][\w']+ )*[A-Z][\w']+)( (?:al|el|Al|El)-)?\]\s*([A-Z][\w'-]+)")


def _bracketed_names(doc: Doc, sentence_index: dict[int, int], dictionary: ActorDictionary,
                     mentions: list[Mention]) -> list[Mention]:
    for match in _BRACKETED.finditer(doc_text(doc)):
        prefix = (match.group(2) or " ").strip()
        name = f"{match.group(1)} {prefix}{match.group(3)}" if prefix else f"{match.group(1)} {match.group(3)}"
        known = dictionary.lookup(name)
        actor = known[0] if len(known) == 1 else None
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        mentions = [m for m in mentions if m.end <= match.start() or m.start >= match.end()]
        mentions.append(Mention(text=match.group(0), start=match.start(), end=match.end(), label="PERSON",
                                sentence=sentence_index[span.start], actor_id=actor.id if actor else None,
                                name=actor.name if actor else name, country=actor.country if actor else None))
    return sorted(mentions, key=lambda m: m.start)


_MOTION = {"travel", "go", "come", "return", "flee", "move", "head", "arrive", "fly", "send", "deploy", "transfer",
           "road", "way", "route", "flight", "trip", "drive", "march", "advance", "push", "bring", "take", "evacuate"}


def _used_as_actor(ent: Span) -> bool:
    """A capital stands for its government when it acts or is dealt with: 'Baghdad has deployed',
    "Baghdad's decision", 'talks with Damascus', 'allegiance to Tehran', 'visiting Damascus' — not when
    someone merely goes there ('fled to Damascus')."""
    root = ent.root
    if root.dep_ in ACTOR_DEPS:
        return True
    if root.dep_ == "dobj" and root.head.lemma_.lower() == "visit":
        return True
    if root.dep_ == "pobj" and root.head.lower_ in {"to", "with", "against"}:
        return root.head.head.lemma_.lower() not in _MOTION
    return False


def _resolve_short_forms(mentions: list[Mention]) -> None:
    """'Shatri' after 'Hamid al-Shatri' in the same document is the same person."""
    full: dict[str, Mention] = {}
    for m in mentions:
        if m.label == "PERSON" and m.name and len(m.name.split()) >= 2:
            full.setdefault(_surname_key(m.name), m)
    fulls = [m for m in mentions if m.label == "PERSON" and m.name and len(m.name.split()) >= 2]
    for m in mentions:
        if m.label == "PERSON" and m.name and len(m.name.split()) >= 2 and not m.actor_id:
            # "Abdel Rahman" after "Rami Abdel Rahman": a shorter tail of a longer name in the same article
            tail = [f for f in fulls if len(f.name.split()) > len(m.name.split()) and f.name.endswith(" " + m.name)]
            if len({f.name for f in tail}) == 1:
                m.name, m.actor_id, m.country = tail[0].name, tail[0].actor_id, tail[0].country
    for m in mentions:
        if not m.name or len(m.name.split()) != 1 or (m.label != "PERSON" and m.actor_id):
            continue
        longer = full.get(_surname_key(m.name))
        if longer is not None:
            m.name = longer.name
            m.actor_id = m.actor_id or longer.actor_id
            m.country = m.country or longer.country
            m.label = "PERSON"
