"""One actor's events in time order, and the helpers every analyst view shares: finding an actor by any of its
names, the quad class of an event type, and the actors a sentence names.

A timeline item is an event (a cluster of mentions, as `find_events` gives it) seen from the actor: its role
(source or target, or 'mentioned' when the sentence names the actor without making it a participant), the
counterpart, the evidence sentence and the document.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import lru_cache
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from newsgraph.query.events import (
    CHUNK,
    actor_ids,
    chronological_key,
    chronological_order,
    date_range,
    events_by_id,
    main_filters,
    main_rows,
    parse_date_bound,
)
from newsgraph.store import schema as t
from newsgraph.store.sql import unindexed

Record = dict[str, Any]


class ActorLookupError(ValueError):
    """A name that names no actor, or several; `candidates` lists those it could mean ({id, name, type, ...})."""

    def __init__(self, name: str, message: str, candidates: list[Record] | None = None):
        super().__init__(message)
        self.name = name
        self.candidates = candidates or []


class UnknownActor(ActorLookupError):
    pass


class AmbiguousActor(ActorLookupError):
    pass


# ---------------------------------------------------------------- actors


def _actor_rows(conn: Connection, ids: set[str]) -> list[Record]:
    e, m = t.entities.c, t.mentions.c
    rows = conn.execute(
        select(e.id, e.name, e.type, e.country, e.sector, e.origin, func.count(m.id).label("mentions"))
        .outerjoin(t.mentions, m.entity_id == e.id).where(e.id.in_(ids)).group_by(e.id)
        .order_by(func.count(m.id).desc(), e.id)
    ).all()
    return [dict(r._mapping) for r in rows]


def resolve_actor(conn: Connection, name: str) -> Record:
    """The one actor known by this id, canonical name or alias (as `find_actors`): {id, name, type, country,
    sector, origin, mentions}. An id or an exact canonical name wins over aliases; a name that several actors
    share raises AmbiguousActor with them as candidates, an unknown one UnknownActor."""
    name = (name or "").strip()
    if not name:
        raise UnknownActor(name, "no actor name given")
    ids = actor_ids(conn, name)
    if not ids:
        raise UnknownActor(name, f"no actor named {name!r} in the store")
    rows = _actor_rows(conn, ids)
    if len(rows) == 1:
        return rows[0]
    exact = [r for r in rows if r["id"] == name] or [r for r in rows if r["name"].lower() == name.lower()]
    if len(exact) == 1:
        return exact[0]
    listed = ", ".join(f"{r['name']} [{r['id']}] {r['type']}" for r in rows)
    raise AmbiguousActor(name, f"{name!r} names {len(rows)} actors: {listed}; give one by its id", rows)


def brief_actor(row: Record | None) -> Record | None:
    return None if row is None else {"id": row["id"], "name": row["name"]}


# ---------------------------------------------------------------- events


@lru_cache(maxsize=1)
def _quads() -> dict[str, int]:
    from newsgraph.extract.ontology import load_ontology

    onto = load_ontology()
    return {name: onto.quad(name) for name in onto.types}


def quad_of(event_type: str | None) -> int | None:
    """PLOVER quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."""
    return _quads().get(event_type or "")


def participating(ids: set[str] | list[str], within: Any = None):
    """SQL: the clusters in which any of these actors is source or target of some mention (and which are
    among the clusters `within` selects, if given)."""
    ev = t.events.c
    stmt = select(ev.cluster_id).where(or_(ev.source_entity.in_(list(ids)), ev.target_entity.in_(list(ids))))
    return stmt if within is None else stmt.where(ev.cluster_id.in_(within))


def naming_spans(ids: set[str] | list[str], within: Any = None):
    """SQL: (cluster_id, doc_id, start, entity_id) for each sentence of a cluster (among those `within`
    selects, if given) that names one of these actors: which events name whom, and in which sentence. Runs on
    covering indexes from the mentions."""
    m, s, ev = t.mentions.c, t.sentences.c, t.events.c
    stmt = (select(ev.cluster_id, ev.doc_id, ev.start, m.entity_id).distinct().select_from(t.mentions)
            .join(t.sentences, (s.doc_id == m.doc_id) & (s.idx == m.sentence))
            .join(t.events, (ev.doc_id == s.doc_id) & (ev.start == s.start))
            .where(m.entity_id.in_(list(ids))))
    # The clusters are a filter, never an index probe: SQLite would otherwise try each of thousands of them
    # against every sentence of a much-named actor ('Syria': seconds on a store without fresh statistics).
    return stmt if within is None else stmt.where(unindexed(ev.cluster_id).in_(within))


def naming(ids: set[str] | list[str]):
    """SQL: the clusters with a mention whose sentence names one of these actors, participant or not."""
    spans = naming_spans(ids).subquery()
    return select(spans.c.cluster_id).distinct()


def cluster_set(conn: Connection, clusters) -> set[str]:
    """The cluster ids a `participating` / `naming` query selects (index-only reads, cheap to intersect)."""
    return set(conn.scalars(clusters))


def in_order(conn: Connection, cluster_ids: set[str], include_hedged: bool = True,
             include_negated: bool = False) -> list[str]:
    """These events (cluster ids), oldest first, without those negated or hedged unless asked."""
    ev = t.events.c
    ids = sorted(cluster_ids)
    rows: list[Any] = []
    for i in range(0, len(ids), CHUNK):
        rows += main_rows(conn, main=[*main_filters(include_hedged, include_negated),
                                      ev.cluster_id.in_(ids[i:i + CHUNK])], columns=chronological_order()[1:])
    rows.sort(key=lambda r: chronological_key(*r[1:]))
    return [r.cluster_id for r in rows]


def events_in(conn: Connection, cluster_ids: set[str], include_hedged: bool = True,
              include_negated: bool = False) -> list[Record]:
    """These events (cluster ids) as records, oldest first, without those negated or hedged unless asked."""
    return events_by_id(conn, in_order(conn, cluster_ids, include_hedged, include_negated))


def sketches(conn: Connection, cluster_ids: set[str], include_hedged: bool = True,
             include_negated: bool = False) -> list[Record]:
    """These events, oldest first (as in_order), with only what says who takes part where and what it is:
    {id, date, type, hedged, mentions: [{doc: {id}, start, source, target}]}, the main mention first, a
    participant being {entity} (resolved participants only); a cheap first look, in one query, before whole
    records."""
    ev, d = t.events.c, t.documents.c
    ids = sorted(cluster_ids)
    members: dict[str, list[Any]] = {}
    for i in range(0, len(ids), CHUNK):
        for row in conn.execute(
            select(ev.cluster_id, ev.main, ev.id, ev.type, ev.date, ev.day_first, ev.day_last, ev.hedged,
                   ev.negated, ev.doc_id, d.published, d.key, ev.start, ev.source_entity, ev.target_entity)
            .join(t.documents, d.id == ev.doc_id)
            .where(ev.cluster_id.in_(ids[i:i + CHUNK])).order_by(d.ingested_at, d.key, ev.start, ev.id)
        ).tuples():
            members.setdefault(row[0], []).append(row)

    kept = []
    for cid, rows in members.items():
        rows.sort(key=lambda r: not r[1])  # stable: the main mention first, then store order
        _, _, eid, type_, date, day_first, day_last, hedged, negated, doc_id, published, key, start, _, _ = rows[0]
        if (hedged and not include_hedged) or (negated and not include_negated):
            continue
        kept.append((chronological_key(day_first, day_last, published, key, start, eid), {
            "id": cid, "date": date, "type": type_, "hedged": hedged, "mentions": [
                {"doc": {"id": r[9]}, "start": r[12], "source": r[13] and {"entity": r[13]},
                 "target": r[14] and {"entity": r[14]}} for r in rows]}))
    kept.sort(key=lambda pair: pair[0])
    return [sketch for _, sketch in kept]


def events_of(conn: Connection, ids: set[str] | list[str], include_hedged: bool = True,
              include_negated: bool = False) -> list[Record]:
    """Events (as find_events records, oldest first) in which any of these actors is source or target of some
    mention."""
    if not ids:
        return []
    return events_in(conn, cluster_set(conn, participating(ids)), include_hedged, include_negated)


def events_naming(conn: Connection, ids: set[str] | list[str], include_hedged: bool = True,
                  include_negated: bool = False) -> list[Record]:
    """Events whose sentence names one of these actors (any mention of the event), participant or not."""
    if not ids:
        return []
    rows = main_rows(conn, main=[*main_filters(include_hedged, include_negated),
                                 t.events.c.cluster_id.in_(naming(ids))])
    return events_by_id(conn, [r.cluster_id for r in rows])


def names_by_sentence(conn: Connection, events: list[Record],
                      only: set[str] | None = None) -> dict[tuple[str, int], set[str]]:
    """For each sentence of these events' mentions, keyed (doc id, sentence start), the actors it names (only
    these actors, if given)."""
    docs = sorted({m["doc"]["id"] for e in events for m in e["mentions"]})
    by_span: dict[tuple[str, int], set[str]] = defaultdict(set)
    m, s = t.mentions.c, t.sentences.c
    for i in range(0, len(docs), CHUNK):
        stmt = (select(s.doc_id, s.start, m.entity_id).join(t.mentions, (m.doc_id == s.doc_id) & (m.sentence == s.idx))
                .where(s.doc_id.in_(docs[i:i + CHUNK])))
        if only is not None:
            stmt = stmt.where(m.entity_id.in_(sorted(only)))
        for doc_id, start, entity in conn.execute(stmt):
            by_span[(doc_id, start)].add(entity)
    return by_span


def named_in_sentences(conn: Connection, events: list[Record]) -> dict[str, set[str]]:
    """For each event id, the actors (entity ids) named in the sentences of its mentions."""
    by_span = names_by_sentence(conn, events)
    out: dict[str, set[str]] = {}
    for e in events:
        names: set[str] = set()
        for mention in e["mentions"]:
            names |= by_span.get((mention["doc"]["id"], mention["start"]), set())
        out[e["id"]] = names
    return out


def _party(actor: Record | None) -> Record | None:
    if actor is None:
        return None
    return {"id": actor["entity"], "name": actor["name"] or actor["text"], "text": actor["text"]}


def _side(event: Record, ids: set[str]) -> tuple[str, Record | None]:
    """The role the actor plays in the event and the counterpart on the other side (main mention first)."""
    for mention in event["mentions"]:
        for role, other in (("source", "target"), ("target", "source")):
            actor = mention[role]
            if actor and actor["entity"] in ids:
                return role, mention[other]
    return "mentioned", None


def item(event: Record, ids: set[str]) -> Record:
    """An event as seen from the actor with these ids."""
    role, other = _side(event, ids)
    counterpart = None
    if other is not None:
        counterpart = {"id": other["entity"], "name": other["name"] or other["text"]}
    return {
        "id": event["id"], "date": event["date"], "date_precision": event["date_precision"],
        "date_text": event["date_text"], "type": event["type"], "mode": event["mode"], "quad": quad_of(event["type"]),
        "role": role, "counterpart": counterpart,
        "source": _party(event["source"]), "target": _party(event["target"]),
        "sentence": event["sentence"], "doc": event["doc"], "location": event["location"],
        "hedged": event["hedged"], "negated": event["negated"], "attribution": event["attribution"],
        "documents": event["documents"],
        "sources": [{"doc": m["doc"], "sentence": m["sentence"]} for m in event["mentions"]],
    }


def in_range(date: str | None, low: dt.date | None, high: dt.date | None) -> bool:
    if not (low or high):
        return True
    span = date_range(date)
    return span is not None and not ((low and span[1] < low) or (high and span[0] > high))


def bounds(date_from: str | None, date_to: str | None) -> tuple[dt.date | None, dt.date | None]:
    low = parse_date_bound(date_from, "from")[0] if date_from else None
    high = parse_date_bound(date_to, "to")[1] if date_to else None
    if low and high and low > high:
        from newsgraph.query.events import EventQueryError

        raise EventQueryError("from", f"--from {date_from} is after --to {date_to}")
    return low, high


def timeline(conn: Connection, actor: str, with_actor: str | None = None, date_from: str | None = None,
             date_to: str | None = None, *, include_hedged: bool = True, include_negated: bool = False,
             include_mentioned: bool = False, limit: int | None = None, offset: int = 0) -> list[Record]:
    """The actor's events, oldest first (undated last): each with date, type, quad, role, counterpart, evidence
    sentence, document and location. with_actor keeps the events the other actor takes part in as well.
    Hedged events (alleged, planned) are in and flagged; negated ones are left out unless asked for.
    include_mentioned adds events whose sentence names the actor without making it a participant
    (role 'mentioned'). limit and offset page it in the database. Raises UnknownActor / AmbiguousActor, and
    EventQueryError for a bad date or page."""
    from newsgraph.query.events import EventQueryError

    who = resolve_actor(conn, actor)
    ids = {who["id"]}
    other = resolve_actor(conn, with_actor) if with_actor else None
    low, high = bounds(date_from, date_to)
    if (limit is not None and limit < 1) or offset < 0:
        raise EventQueryError("limit", f"a page needs limit >= 1 and offset >= 0, not {limit} and {offset}")
    ev = t.events.c
    mine = ev.cluster_id.in_(participating(ids))
    if include_mentioned:
        mine = or_(mine, ev.cluster_id.in_(naming(ids)))
    where = [*main_filters(include_hedged, include_negated, low, high), mine]
    if other is not None:
        where.append(ev.cluster_id.in_(participating({other["id"]})))
    rows = main_rows(conn, main=where, limit=limit, offset=offset)
    return [item(e, ids) for e in events_by_id(conn, [r.cluster_id for r in rows])]
