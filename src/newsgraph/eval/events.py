"""Event scoring: gold-to-exported maximum matching, recall, precision, duplicates, date and location."""

from __future__ import annotations

from collections import defaultdict

from .context import Aliases, actor_label, actor_ok, clip, place_label, place_ok
from .normalise import contains_words, norm
from .result import Report

SWAPPABLE = frozenset({"CONSULT", "COOPERATE", "AGREE"})


def _evidence(gold_ev: dict) -> list[str]:
    ev = gold_ev.get("evidence") or []
    return [ev] if isinstance(ev, str) else [e for e in ev if e]


def _sentences_by_doc(events: list[dict]) -> dict[str, dict[int, list[str]]]:
    """exported doc id -> event index -> sentences stating it there (main sentence and mentions)."""
    out: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for i, ev in enumerate(events):
        if ev.get("doc") is not None:
            out[str(ev["doc"])][i].append(ev.get("sentence") or "")
        for m in ev.get("mentions") or []:
            if isinstance(m, dict) and m.get("doc") is not None:
                out[str(m["doc"])][i].append(m.get("sentence") or "")
    return out


def in_sentence(gold_ev: dict, sentences: list[str]) -> bool:
    """Some sentence contains some evidence string, word-wise."""
    return any(contains_words(s, e) for s in sentences for e in _evidence(gold_ev))


def event_matches(gold_ev: dict, ev: dict, sentences: list[str], aliases: Aliases) -> bool:
    """The gold/1 event match rule (document already checked by the caller)."""
    typ = ev.get("type")
    if typ not in (gold_ev.get("types") or []):
        return False
    if bool(gold_ev.get("negated")) != bool(ev.get("negated")):
        return False
    if not in_sentence(gold_ev, sentences):
        return False
    src, tgt = ev.get("source"), ev.get("target")
    gsrc, gtgt = gold_ev.get("source"), gold_ev.get("target")
    if actor_ok(src, gsrc, aliases) and actor_ok(tgt, gtgt, aliases):
        return True
    return typ in SWAPPABLE and actor_ok(src, gtgt, aliases) and actor_ok(tgt, gsrc, aliases)


def max_matching(order: list[int], edges: dict[int, list[int]]) -> dict[int, int]:
    """Kuhn's augmenting-path matching, gold -> exported; deterministic, and gold vertices processed
    first stay matched, so putting non-optional gold first maximises recall before optional ones."""
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for e in edges.get(g, []):
            if e in seen:
                continue
            seen.add(e)
            if e not in owner or augment(owner[e], seen):
                owner[e] = g
                return True
        return False

    for g in order:
        augment(g, set())
    return {g: e for e, g in owner.items()}


def _ids(accept: list | None) -> str:
    if accept is None:
        return "-"
    return "|".join("any" if a is None else str(a) for a in accept) or "none"


def _gold_line(kind: str, doc: str, gold_ev: dict) -> str:
    types = "|".join(gold_ev.get("types") or [])
    ev = _evidence(gold_ev)
    return (
        f"{kind}  {doc}  {types}  src={_ids(gold_ev.get('source'))} tgt={_ids(gold_ev.get('target'))}"
        f"  {clip(ev[0] if ev else '')}"
    )


def _exp_desc(ev: dict) -> str:
    neg = " negated" if ev.get("negated") else ""
    return f"{ev.get('type')}  src={actor_label(ev.get('source'))} tgt={actor_label(ev.get('target'))}{neg}"


def _find_place(gold_doc: dict, text: str) -> dict | None:
    key = norm(text)
    return next((p for p in gold_doc.get("places") or [] if norm(p.get("text") or "") == key), None)


def _date_and_location(report: Report, doc: str, gold_doc: dict, gold_ev: dict, ev: dict) -> None:
    """Date: exported date starts with the gold value. Location: within radius / same country."""
    types = "|".join(gold_ev.get("types") or [])
    first = clip((_evidence(gold_ev) or [""])[0], 60)
    if gold_ev.get("date"):
        got = str(ev.get("date") or "")
        ok = bool(got) and got.startswith(str(gold_ev["date"]))
        report.event_date.add(ok)
        if not ok:
            report.misses.append(
                f"date wrong  {doc}  {types}  {first}  got {got or 'none'} want {gold_ev['date']}"
            )
    if gold_ev.get("location"):
        place = _find_place(gold_doc, gold_ev["location"])
        if place is None:
            report.misses.append(
                f"location unscorable  {doc}  {clip(gold_ev['location'])} not in gold places"
            )
            return
        loc = ev.get("location") if isinstance(ev.get("location"), dict) else None
        ok = place_ok(place, loc)
        report.event_location.add(ok)
        if not ok:
            got = (
                f"{clip((loc or {}).get('text') or (loc or {}).get('name'))} {place_label(loc)}"
                if loc
                else "none"
            )
            report.misses.append(
                f"location wrong  {doc}  {types}  {first}  got {got}"
                f" want {clip(place['text'])} {place_label(place)}"
            )


def score_events(
    report: Report, gold_docs: list[dict], doc_ids: dict[str, set[str]], events: list[dict], aliases: Aliases
) -> None:
    """Fill event recall/precision/duplicates/date/location figures and their miss lines."""
    by_doc = _sentences_by_doc(events)
    all_ids = set().union(*doc_ids.values()) if doc_ids else set()
    matching: set[int] = set()
    duplicates: set[int] = set()
    for gdoc in gold_docs:
        doc, gevs = gdoc["doc"], gdoc.get("events") or []
        cands: dict[int, list[str]] = defaultdict(list)
        for did in sorted(doc_ids.get(doc, ())):
            for i, sents in by_doc.get(did, {}).items():
                cands[i].extend(sents)
        edges = {
            g: [i for i in sorted(cands) if event_matches(gev, events[i], cands[i], aliases)]
            for g, gev in enumerate(gevs)
        }
        order = sorted(range(len(gevs)), key=lambda g: (bool(gevs[g].get("optional")), g))
        pairs = max_matching(order, edges)
        for g, gev in enumerate(gevs):
            matching.update(edges[g])
            if not gev.get("optional"):
                report.event_recall.add(g in pairs)
                if g not in pairs and doc_ids.get(doc):
                    near = [i for i in sorted(cands) if in_sentence(gev, cands[i])]
                    hint = f"  (nearest: {_exp_desc(events[near[0]])})" if near else ""
                    report.misses.append(_gold_line("event miss", doc, gev) + hint)
            if g in pairs:
                _date_and_location(report, doc, gdoc, gev, events[pairs[g]])
        used = set(pairs.values())
        for g in range(len(gevs)):
            for i in edges[g]:
                if i not in used and i not in duplicates:
                    duplicates.add(i)
                    report.misses.append(
                        f"duplicate  {doc}  {_exp_desc(events[i])}  {clip(events[i].get('sentence'), 60)}"
                        f"  of gold {clip((_evidence(gevs[g]) or [''])[0], 50)}"
                    )
    exported_in_gold = [i for i, ev in enumerate(events) if str(ev.get("doc")) in all_ids]
    doc_name = {did: doc for doc, ids in doc_ids.items() for did in ids}
    for i in exported_in_gold:
        report.event_precision.add(i in matching)
        if i not in matching:
            ev = events[i]
            report.misses.append(
                f"false event  {doc_name[str(ev.get('doc'))]}  {_exp_desc(ev)}  {clip(ev.get('sentence'))}"
            )
    report.duplicates.num = len(duplicates)
    report.duplicates.den = len(exported_in_gold)
