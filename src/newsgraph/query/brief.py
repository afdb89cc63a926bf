"""A brief on one actor: who they are, their affiliations with dates and evidence, key events with
citations, how their relations changed over time and with whom, and the conflicting reports involving them.

Every statement drawn from an article cites it: `citations` numbers the documents in the order the brief
first uses them, and each record carries `cite` (that number) so a renderer writes [n].
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from newsgraph.query.actors import actor_profile
from newsgraph.query.events import conflicts, date_range
from newsgraph.query.relations import _dictionary, period_of, score
from newsgraph.query.timeline import resolve_actor, timeline
from newsgraph.store import schema as t

Record = dict[str, Any]
KEY_EVENTS = 15
PARTNERS = 8
_PRECISION = {"day": 4, "week": 3, "month": 2, "season": 2, "quarter": 2, "year": 1}


class _Citations:
    def __init__(self) -> None:
        self.docs: dict[str, Record] = {}

    def cite(self, doc: Record) -> int:
        if doc["id"] not in self.docs:
            self.docs[doc["id"]] = {"n": len(self.docs) + 1, **doc}
        return self.docs[doc["id"]]["n"]

    def records(self) -> list[Record]:
        return sorted(self.docs.values(), key=lambda d: d["n"])


def _documents(conn: Connection, entity_id: str) -> list[Record]:
    """Documents that mention the actor, oldest first, with how often."""
    d, m = t.documents.c, t.mentions.c
    rows = conn.execute(
        select(d.id, d.key, d.title, d.outlet, d.url, d.published, func.count(m.id).label("n"))
        .join(t.mentions, m.doc_id == d.id).where(m.entity_id == entity_id)
        .group_by(d.id).order_by(d.published.is_(None), d.published, d.key)
    ).all()
    return [dict(r._mapping) for r in rows]


def _store_affiliations(conn: Connection, entity_id: str, cites: _Citations) -> list[Record]:
    r, d, e = t.relations.c, t.documents.c, t.entities.c
    names = dict(conn.execute(select(e.id, e.name)).all())
    out: dict[tuple, Record] = {}
    for row in conn.execute(
        select(t.relations, d.key, d.title, d.outlet, d.url, d.published)
        .join(t.documents, d.id == r.doc_id)
        .where(or_(r.subject_entity == entity_id, r.object_entity == entity_id))
        .order_by(d.published.is_(None), d.published, r.start)
    ):
        doc = {"id": row.doc_id, "key": row.key, "title": row.title, "outlet": row.outlet, "url": row.url,
               "published": row.published}
        subject = names.get(row.subject_entity, row.subject_text)
        obj = names.get(row.object_entity, row.object_text)
        key = (subject, row.relation, obj)
        cite = cites.cite(doc)
        if key in out:  # the same tie stated again: one line, every source
            if cite not in out[key]["cites"]:
                out[key]["cites"].append(cite)
            continue
        out[key] = {"subject": subject, "subject_id": row.subject_entity, "relation": row.relation,
                    "object": obj, "object_id": row.object_entity, "from": row.valid_from, "to": row.valid_to,
                    "source": "article", "sentence": " ".join(row.sentence.split()), "doc": doc, "cites": [cite]}
    return list(out.values())


def _dictionary_ties(entity_id: str, name: str) -> list[Record]:
    """Office terms and affiliations the actor dictionary records (no article, so no citation)."""
    d = _dictionary().actors
    out = []
    me = d.get(entity_id)
    if me:
        for role in me.roles:
            of = d.get(str(role.get("of")))
            out.append({"subject": name, "subject_id": entity_id, "relation": str(role.get("role")),
                        "object": of.name if of else role.get("of"), "object_id": role.get("of"),
                        "from": str(role["from"]) if role.get("from") else None,
                        "to": str(role["to"]) if role.get("to") else None, "source": "actor dictionary"})
        for aff in me.affiliations:
            of = d.get(str(aff.get("object")))
            out.append({"subject": name, "subject_id": entity_id, "relation": str(aff.get("relation")),
                        "object": of.name if of else aff.get("object"), "object_id": aff.get("object"),
                        "from": str(aff["from"]) if aff.get("from") else None,
                        "to": str(aff["to"]) if aff.get("to") else None, "source": "actor dictionary"})
    for other in d.values():
        for role in other.roles:
            if str(role.get("of")) == entity_id and other.id != entity_id:
                out.append({"subject": other.name, "subject_id": other.id, "relation": str(role.get("role")),
                            "object": name, "object_id": entity_id,
                            "from": str(role["from"]) if role.get("from") else None,
                            "to": str(role["to"]) if role.get("to") else None, "source": "actor dictionary"})
    return out


def _importance(item: Record) -> tuple:
    participant = item["role"] != "mentioned"
    named_counterpart = bool(item["counterpart"] and item["counterpart"]["id"])
    return (participant, named_counterpart, not item["hedged"], item["documents"],
            _PRECISION.get(item["date_precision"] or "", 0))


MENTIONED_IN = 12  # articles cited as where the actor appears; key events cite their own


def brief(conn: Connection, actor: str) -> dict:
    """Everything the store knows about one actor, as a report record (see the module doc). Raises
    UnknownActor / AmbiguousActor for a name that fits no actor or several."""
    who = resolve_actor(conn, actor)
    eid = who["id"]
    profile = actor_profile(conn, eid)
    cites = _Citations()
    every = _documents(conn, eid)
    documents = sorted(every, key=lambda d: -d["n"])[:MENTIONED_IN]  # the articles most about them
    for doc in documents:
        doc["cite"] = cites.cite({k: doc[k] for k in ("id", "key", "title", "outlet", "url", "published")})
    entry = _dictionary().actors.get(eid)
    identity = {"id": eid, "name": profile["name"], "type": profile["type"], "country": profile["country"],
                "sector": profile["sector"], "origin": profile["origin"], "aliases": profile["aliases"],
                "mentions": profile["mentions"], "documents": profile["documents"],
                "valid": dict(entry.valid) if entry and entry.valid else None,
                "mentioned_in": [{"cite": d["cite"], "mentions": d["n"]} for d in documents],
                "mentioned_in_more": len(every) - len(documents)}
    affiliations = _store_affiliations(conn, eid, cites) + _dictionary_ties(eid, profile["name"])

    items = timeline(conn, eid, include_mentioned=True)
    key = sorted(items, key=_importance, reverse=True)[:KEY_EVENTS]
    key_ids = {i["id"] for i in key}
    key_events = []
    for i in items:  # chronological
        if i["id"] in key_ids:
            i = dict(i)
            i["cites"] = list(dict.fromkeys(cites.cite(s["doc"]) for s in i["sources"]))
            key_events.append(i)

    partners: dict[str, list[Record]] = defaultdict(list)
    names: dict[str, str] = {}
    for i in items:
        c = i["counterpart"]
        if i["role"] != "mentioned" and c and c["id"] and c["id"] != eid:
            partners[c["id"]].append(i)
            names[c["id"]] = c["name"]
    relations = []
    for pid, evs in sorted(partners.items(), key=lambda kv: (-len(kv[1]), names[kv[0]]))[:PARTNERS]:
        scored = [{"quad": e["quad"], "weight": 0.5 if e["hedged"] else 1.0} for e in evs]
        years: dict[str, list[Record]] = defaultdict(list)
        for e, s in zip(evs, scored, strict=True):
            years[period_of(e["date"], "year")].append({**s, "type": e["type"]})
        dates = sorted(r for e in evs if (r := date_range(e["date"])))
        relations.append({
            "partner": {"id": pid, "name": names[pid]}, "events": len(evs), "score": score(scored),
            "types": dict(Counter(e["type"] for e in evs).most_common()),
            "first": dates[0][0].isoformat() if dates else None, "last": dates[-1][1].isoformat() if dates else None,
            "years": [{"period": y, "events": len(v), "score": score(v),
                       "types": dict(Counter(x["type"] for x in v).most_common())}
                      for y, v in sorted(years.items())],
            "cites": list(dict.fromkeys(cites.cite(s["doc"]) for e in evs for s in e["sources"])),
        })

    disputed = []
    for c in conflicts(conn):
        ids = {v[r]["entity"] for v in c["versions"] for r in ("source", "target") if v[r]}
        if eid not in ids:
            continue
        disputed.append({"id": c["id"], "type": c["type"], "disagree": c["disagree"], "versions": [
            {"date": v["date"], "date_text": v["date_text"], "location": v["location"], "sentence": v["sentence"],
             "source": v["source"], "target": v["target"], "cite": cites.cite(v["doc"])} for v in c["versions"]]})

    return {"actor": identity, "affiliations": affiliations, "key_events": key_events,
            "events_total": len(items), "events_by_type": profile["events_by_type"], "relations": relations,
            "conflicts": disputed, "citations": cites.records()}
