"""Actors: the most mentioned, and one actor's profile, by any of its names."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal_column, or_, select
from sqlalchemy.engine import Connection

from newsgraph.store import schema as t
from newsgraph.text import norm_key

Record = dict[str, Any]


def top_actors(conn: Connection, n: int = 20) -> list[Record]:
    """Actors ordered by the number of documents that mention them, then mentions.

    People and organisations, and states the dictionary knows; a town is a place, not an actor.
    """
    m = t.mentions.c
    counts = (select(m.entity_id, func.count().label("mentions"), func.count(func.distinct(m.doc_id)).label("docs"))
              .group_by(m.entity_id).subquery())
    e = t.entities.c
    rows = conn.execute(
        select(e.id, e.name, e.type, e.country, e.origin, counts.c.mentions, counts.c.docs)
        .join(counts, counts.c.entity_id == e.id)
        .where(or_(e.type.in_(("PERSON", "ORG")), e.origin == "dictionary"))
        .order_by(counts.c.docs.desc(), counts.c.mentions.desc(), e.name)
        .limit(n)
    ).all()
    aliases = _aliases(conn, [r.id for r in rows])
    return [{"id": r.id, "name": r.name, "type": r.type, "country": r.country, "origin": r.origin,
             "aliases": aliases.get(r.id, []), "mentions": r.mentions, "documents": r.docs} for r in rows]


def _aliases(conn: Connection, ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if not ids:
        return out
    a = t.aliases.c
    for eid, alias in conn.execute(select(a.entity_id, a.alias).where(a.entity_id.in_(ids)).order_by(a.alias)):
        out.setdefault(eid, []).append(alias)
    return out


def find_actors(conn: Connection, name: str) -> list[Record]:
    """Actors whose id, canonical name or any alias is this name (normalised), most mentioned first."""
    key = norm_key(name)
    e, a = t.entities.c, t.aliases.c
    ids = set(conn.scalars(select(a.entity_id).where(a.norm == key)))
    ids |= set(conn.scalars(select(e.id).where(or_(e.id == name, func.lower(e.name) == name.lower()))))
    if not ids:
        return []
    m = t.mentions.c
    rows = conn.execute(
        select(e.id, func.count(m.id).label("n")).outerjoin(t.mentions, m.entity_id == e.id)
        .where(e.id.in_(ids)).group_by(e.id).order_by(func.count(m.id).desc())
    ).all()
    return [actor_profile(conn, r.id) for r in rows]


def actor_profile(conn: Connection, entity_id: str) -> Record:
    e = t.entities.c
    row = conn.execute(select(t.entities).where(e.id == entity_id)).one()
    m = t.mentions.c
    mentions, docs = conn.execute(
        select(func.count(), func.count(func.distinct(m.doc_id))).where(m.entity_id == entity_id)
    ).one()
    r = t.relations.c
    names = dict(conn.execute(select(e.id, e.name)).all())
    affiliations = []
    for rel in conn.execute(
        select(t.relations).where(or_(r.subject_entity == entity_id, r.object_entity == entity_id))
        .order_by(r.doc_id, r.start)
    ):
        affiliations.append({
            "subject": names.get(rel.subject_entity, rel.subject_text), "relation": rel.relation,
            "object": names.get(rel.object_entity, rel.object_text), "doc": rel.doc_id, "sentence": rel.sentence,
        })
    ev = t.events.c
    by_type = dict(conn.execute(
        select(ev.type, func.count(func.distinct(ev.cluster_id)))
        .where(or_(ev.source_entity == entity_id, ev.target_entity == entity_id)).group_by(ev.type)
    ).all())
    involved = or_(ev.source_entity == entity_id, ev.target_entity == entity_id)
    by_year: dict[str, dict[str, int]] = {}
    year_of = func.substr(ev.date, literal_column("1"), literal_column("4"))  # one expression for GROUP BY
    for year, kind, n in conn.execute(
        select(year_of, ev.type, func.count(func.distinct(ev.cluster_id))).where(involved).group_by(year_of, ev.type)
    ):
        by_year.setdefault(year or "undated", {})[kind] = n
    partners: dict[str, dict] = {}
    seen: set[tuple[str, str]] = set()
    for src, tgt, kind, cluster in conn.execute(
            select(ev.source_entity, ev.target_entity, ev.type, ev.cluster_id).where(involved)):
        other = tgt if src == entity_id else src
        if other is None or other == entity_id or (other, cluster) in seen:
            continue  # one event, however many articles state it
        seen.add((other, cluster))
        p = partners.setdefault(other, {"id": other, "name": names.get(other, other), "events": 0, "types": {}})
        p["events"] += 1
        p["types"][kind] = p["types"].get(kind, 0) + 1
    return {"id": row.id, "name": row.name, "type": row.type, "country": row.country, "sector": row.sector,
            "origin": row.origin, "aliases": _aliases(conn, [entity_id]).get(entity_id, []),
            "mentions": mentions, "documents": docs, "affiliations": affiliations, "events_by_type": by_type,
            "events_by_year": dict(sorted(by_year.items())),
            "partners": sorted(partners.values(), key=lambda p: (-p["events"], p["name"]))[:15]}
