"""Scoring of the non-event tables: timex, places, relations, entities and their cross-doc consistency."""

from __future__ import annotations

from collections import defaultdict

from .context import Aliases, actor_label, actor_names, actor_ok, clip, place_label, place_ok
from .normalise import contains_words, norm, norm_words
from .result import Report

# Words that alone do not make two time expressions the same expression.
_TIME_STOP = frozenset(
    "on in at of by for from to since until during the a an this that last next past early late mid".split()
)


def _rows_by_doc(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r.get("doc") is not None:
            out[str(r["doc"])].append(r)
    return out


def _rows_for(by_doc: dict[str, list[dict]], ids: set[str]) -> list[dict]:
    return [r for did in sorted(ids) for r in by_doc.get(did, [])]


def timex_overlaps(gold_text: str, got_text: str | None) -> bool:
    """Texts overlap when either contains the other word-wise after normalising, or they share a
    content word ("14 December, 2016" ~ "December 14"); the value must agree as well, so this is loose."""
    if not got_text or not norm(gold_text) or not norm(got_text):
        return False
    if contains_words(gold_text, got_text) or contains_words(got_text, gold_text):
        return True
    return bool((set(norm_words(gold_text)) & set(norm_words(got_text))) - _TIME_STOP)


def score_timex(
    report: Report, gold_docs: list[dict], doc_ids: dict[str, set[str]], rows: list[dict]
) -> None:
    """Gold timex right when an overlapping exported timex of the document has the gold value (no
    one-to-one constraint: a gold text listed twice is satisfied by the same exported expression)."""
    by_doc = _rows_by_doc(rows)
    for gdoc in gold_docs:
        doc, ids = gdoc["doc"], doc_ids.get(gdoc["doc"], set())
        mine = _rows_for(by_doc, ids)
        for t in gdoc.get("timex") or []:
            over = [x for x in mine if timex_overlaps(t.get("text") or "", x.get("text"))]
            ok = any(x.get("value") == t.get("value") for x in over)
            report.timex.add(ok)
            if not ok and ids:
                got = ", ".join(f"{x.get('text')!r}={x.get('value')}" for x in over) or "none"
                report.misses.append(
                    f"timex miss  {doc}  {clip(t.get('text'))} want {t.get('value')} got {got}"
                )


def _span_overlap(gold: dict, got: dict) -> bool:
    try:
        return int(got["start"]) < int(gold["end"]) and int(gold["start"]) < int(got["end"])
    except (KeyError, TypeError, ValueError):
        return False


def score_places(
    report: Report, gold_docs: list[dict], doc_ids: dict[str, set[str]], rows: list[dict]
) -> None:
    """A gold toponym is right when an exported place with the same (normalised) text is within the
    radius / in the country. With gold offsets (GeoWebNews), same-text places at an overlapping span
    are preferred, falling back to any same-text place when offsets differ (clean text may shift them)."""
    by_doc = _rows_by_doc(rows)
    for gdoc in gold_docs:
        doc, ids = gdoc["doc"], doc_ids.get(gdoc["doc"], set())
        mine = _rows_for(by_doc, ids)
        for p in gdoc.get("places") or []:
            same = [x for x in mine if norm(x.get("text") or "") == norm(p.get("text") or "")]
            if p.get("start") is not None and p.get("end") is not None:
                same = [x for x in same if _span_overlap(p, x)] or same
            ok = any(place_ok(p, x) for x in same)
            report.places.add(ok)
            if not ok and ids:
                got = "; ".join(place_label(x) for x in same[:3]) or "none"
                report.misses.append(
                    f"place miss  {doc}  {clip(p.get('text'))} want {place_label(p)} got {got}"
                )


def _relation_ok(gold: dict, got: dict, aliases: Aliases) -> bool:
    return (
        got.get("relation") == gold.get("relation")
        and actor_ok(got.get("subject"), [gold.get("subject")], aliases)
        and actor_ok(got.get("object"), [gold.get("object")], aliases)
    )


def score_relations(
    report: Report, gold_docs: list[dict], doc_ids: dict[str, set[str]], rows: list[dict], aliases: Aliases
) -> None:
    """Recall over non-optional gold relations; precision over exported relations of gold documents
    (matching an optional gold relation counts as right)."""
    by_doc = _rows_by_doc(rows)
    for gdoc in gold_docs:
        doc, ids = gdoc["doc"], doc_ids.get(gdoc["doc"], set())
        mine = _rows_for(by_doc, ids)
        golds = gdoc.get("relations") or []
        for r in golds:
            if r.get("optional"):
                continue
            ok = any(_relation_ok(r, x, aliases) for x in mine)
            report.relation_recall.add(ok)
            if not ok and ids:
                report.misses.append(
                    f"relation miss  {doc}  {r.get('subject')} {r.get('relation')} {r.get('object')}"
                    f"  {clip(r.get('evidence'))}"
                )
        for x in mine:
            ok = any(_relation_ok(r, x, aliases) for r in golds)
            report.relation_precision.add(ok)
            if not ok:
                report.misses.append(
                    f"false relation  {doc}  {actor_label(x.get('subject'))} {x.get('relation')}"
                    f" {actor_label(x.get('object'))}  {clip(x.get('sentence'))}"
                )


def _entity_names(e: dict) -> set[str]:
    return actor_names(e.get("name")) | {norm(str(a)) for a in e.get("aliases") or []} - {""}


def score_entities(
    report: Report, gold_docs: list[dict], doc_ids: dict[str, set[str]], rows: list[dict], aliases: Aliases
) -> None:
    """Entity recall per (document, gold entity); consistency: each gold entity found in 2+ documents
    must have one exported entity (with a matching name/alias) listing all of those documents."""
    names = [_entity_names(e) for e in rows]
    docs = [{str(d) for d in e.get("docs") or []} for e in rows]
    found_in: dict[str, list[str]] = defaultdict(list)
    for gdoc in gold_docs:
        doc, ids = gdoc["doc"], doc_ids.get(gdoc["doc"], set())
        for ent in gdoc.get("entities") or []:
            want = aliases.of(ent)
            ok = bool(ids) and any(docs[i] & ids and names[i] & want for i in range(len(rows)))
            report.entity_recall.add(ok)
            if ok:
                found_in[ent].append(doc)
            elif ids:
                report.misses.append(f"entity miss  {doc}  {ent} ({aliases.name(ent)})")
    for ent, gdocs in found_in.items():
        if len(gdocs) < 2:
            continue
        want = aliases.of(ent)
        cands = [i for i in range(len(rows)) if names[i] & want]
        ok = any(all(docs[i] & doc_ids[d] for d in gdocs) for i in cands)
        report.entity_consistency.add(ok)
        if not ok:
            parts = []
            for i in cands:
                covered = [d for d in gdocs if docs[i] & doc_ids[d]]
                if covered:
                    parts.append(f"{rows[i].get('name')!r} [{', '.join(covered)}]")
            report.misses.append(f"inconsistent entity {ent} split across {len(parts)}: {'; '.join(parts)}")
