"""`newsgraph eval`: score exported tables against a gold/1 file (rules in docs/gold-format.md)."""

from __future__ import annotations

from .context import Aliases, match_documents
from .events import score_events
from .facts import score_entities, score_places, score_relations, score_timex
from .result import Figure, Report

__all__ = ["Figure", "Report", "score"]


def score(gold: dict, tables: dict[str, list[dict]]) -> Report:
    """Score `tables` (documents, entities, events, timex, places, relations as exported records)
    against `gold`; only exported rows of gold documents are judged."""
    report = Report()
    gold_docs = [d for d in gold.get("documents") or [] if d.get("doc")]
    aliases = Aliases(gold.get("entities") or {})
    doc_ids = match_documents([d["doc"] for d in gold_docs], tables.get("documents") or [])
    for d in gold_docs:
        found = bool(doc_ids[d["doc"]])
        report.documents.add(found)
        if not found:
            counts = ", ".join(
                f"{len(d.get(k) or [])} {k}" for k in ("events", "timex", "places", "relations", "entities")
            )
            report.misses.append(f"document not found  {d['doc']}  ({counts} unscored, counted as misses)")
    # A layer no gold document annotates (GeoWebNews has no events) is not scored: its exported rows
    # are not wrong, they are unjudged, and a precision of 0 would say otherwise.
    annotated = {k for k in ("events", "timex", "places", "relations", "entities") if any(d.get(k) for d in gold_docs)}
    if "events" in annotated:
        score_events(report, gold_docs, doc_ids, tables.get("events") or [], aliases)
    if "timex" in annotated:
        score_timex(report, gold_docs, doc_ids, tables.get("timex") or [])
    if "places" in annotated:
        score_places(report, gold_docs, doc_ids, tables.get("places") or [])
    if "relations" in annotated:
        score_relations(report, gold_docs, doc_ids, tables.get("relations") or [], aliases)
    if "entities" in annotated:
        score_entities(report, gold_docs, doc_ids, tables.get("entities") or [], aliases)
    return report
