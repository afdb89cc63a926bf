"""The six public tables (export-format.md) as records, straight from the store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from newsgraph.chunks import chunked
from newsgraph.store import schema as t

TABLES = ("documents", "entities", "events", "timex", "places", "relations")
Record = dict[str, Any]


CHUNK = 1000  # records a reader holds at a time: memory stays flat however large the store


def _stream(conn: Connection) -> Connection:
    """Rows come from a server-side cursor where the database has one (PostgreSQL would otherwise hold a
    whole table's result in memory; SQLite cursors already step through it)."""
    return conn.execution_options(stream_results=True, yield_per=CHUNK)


def documents(conn: Connection) -> Iterator[Record]:
    d, k = t.documents.c, t.document_keys.c
    rows = _stream(conn).execute(select(d.id, d.key, d.source, d.title, d.outlet, d.author, d.url, d.published,
                                        d.published_from, d.language, d.sha256, d.words)
                                 .order_by(d.ingested_at, d.key))
    for chunk in chunked(rows, CHUNK):
        keys: dict[str, list[str]] = defaultdict(list)
        for doc_id, key in conn.execute(select(k.doc_id, k.key).where(k.doc_id.in_([r.id for r in chunk]))
                                        .order_by(k.doc_id, k.key)):
            keys[doc_id].append(key)
        for r in chunk:
            record = dict(r._mapping)
            record["keys"] = [x for x in dict.fromkeys(keys.get(r.id, [])) if x != r.key]  # other names
            yield record


def _names(conn: Connection, ids: Iterable[str | None]) -> dict[str, str]:
    """Canonical names of these actors."""
    wanted = sorted({i for i in ids if i})
    e = t.entities.c
    return dict(conn.execute(select(e.id, e.name).where(e.id.in_(wanted))).all()) if wanted else {}


def entities(conn: Connection) -> Iterator[Record]:
    """Actors that have mentions, by id; their aliases and documents read a chunk of actors at a time."""
    a, m, e = t.aliases.c, t.mentions.c, t.entities.c
    rows = _stream(conn).execute(select(e.id, e.name, e.type, e.country, e.sector, e.wikidata, e.description)
                                 .order_by(e.id))
    for chunk in chunked(rows, CHUNK):
        ids = [r.id for r in chunk]
        aliases: dict[str, list[str]] = defaultdict(list)
        for eid, alias in conn.execute(select(a.entity_id, a.alias).where(a.entity_id.in_(ids)).order_by(a.alias)):
            aliases[eid].append(alias)
        docs: dict[str, list[str]] = defaultdict(list)
        counts: dict[str, int] = defaultdict(int)
        for eid, doc_id, n in conn.execute(select(m.entity_id, m.doc_id, func.count()).where(m.entity_id.in_(ids))
                                           .group_by(m.entity_id, m.doc_id).order_by(m.doc_id)):
            docs[eid].append(doc_id)
            counts[eid] += n
        for r in chunk:
            if r.id in docs:  # an actor left without mentions (merged, overridden) is not listed
                yield {"id": r.id, "name": r.name, "type": r.type, "aliases": aliases.get(r.id, []),
                       "docs": docs[r.id], "mentions": counts[r.id], "country": r.country, "sector": r.sector,
                       "wikidata": r.wikidata, "description": r.description}


def _actor(entity_id: str | None, text: str | None, names: dict[str, str]) -> Record | None:
    if text is None and entity_id is None:
        return None
    return {"entity": entity_id, "name": names.get(entity_id) if entity_id else None, "text": text}


def events(conn: Connection) -> Iterator[Record]:
    """One record an event (cluster), told by its main mention, in the order of the main mentions' documents;
    the other mentions are read a chunk of events at a time."""
    ev, d = t.events.c, t.documents.c
    mains = _stream(conn).execute(select(t.events).join(t.documents, d.id == ev.doc_id).where(ev.main.is_(True))
                                  .order_by(d.ingested_at, d.key, ev.start, ev.id))
    for chunk in chunked(mains, CHUNK):
        others: dict[str, list[Any]] = defaultdict(list)
        for o in conn.execute(select(ev.cluster_id, ev.doc_id, ev.sentence, ev.start, ev.end)
                              .join(t.documents, d.id == ev.doc_id)
                              .where(ev.cluster_id.in_([r.cluster_id for r in chunk]), ev.main.is_(False))
                              .order_by(d.ingested_at, d.key, ev.start, ev.id)):
            others[o.cluster_id].append(o)
        names = _names(conn, [x for r in chunk for x in (r.source_entity, r.target_entity)])
        for main in chunk:
            yield _event(main, others.get(main.cluster_id, []), names)


def _event(main: Any, others: list[Any], names: dict[str, str]) -> Record:
    location = None
    if main.location_text is not None:
        location = {"text": main.location_text, "name": main.location_name, "country": main.location_country,
                    "lat": main.location_lat, "lon": main.location_lon, "geonameid": main.location_geonameid}
    return {
        "id": main.cluster_id, "doc": main.doc_id, "type": main.type, "mode": main.mode, "context": main.context,
        "cameo": main.cameo,
        "source": _actor(main.source_entity, main.source_text, names),
        "target": _actor(main.target_entity, main.target_text, names),
        "date": main.date, "date_precision": main.date_precision, "date_text": main.date_text,
        "location": location, "negated": bool(main.negated), "hedged": bool(main.hedged),
        "sentence": main.sentence, "start": main.start, "end": main.end,
        "attribution": main.attribution,
        "mentions": [{"doc": o.doc_id, "sentence": o.sentence, "start": o.start, "end": o.end} for o in others],
        "confidence": main.confidence, "trigger": main.trigger,
    }


def timex(conn: Connection) -> Iterator[Record]:
    x = t.timexes.c
    for r in _stream(conn).execute(select(x.doc_id, x.text, x.start, x.end, x.value, x.anchor, x.precision)
                          .order_by(x.doc_id, x.start)):
        yield {"doc": r.doc_id, "text": r.text, "start": r.start, "end": r.end, "value": r.value,
               "anchor": r.anchor, "precision": r.precision}


def places(conn: Connection) -> Iterator[Record]:
    p = t.places.c
    for r in _stream(conn).execute(select(t.places).order_by(p.doc_id, p.start)):
        yield {"doc": r.doc_id, "text": r.text, "start": r.start, "end": r.end, "entity": r.entity_id,
               "name": r.name, "country": r.country, "admin1": r.admin1, "lat": r.lat, "lon": r.lon,
               "geonameid": r.geonameid, "feature": r.feature}


def relations(conn: Connection) -> Iterator[Record]:
    r_ = t.relations.c
    for chunk in chunked(_stream(conn).execute(select(t.relations).order_by(r_.doc_id, r_.start, r_.id)), CHUNK):
        names = _names(conn, [x for r in chunk for x in (r.subject_entity, r.object_entity)])
        yield from (_relation(r, names) for r in chunk)


def _relation(r: Any, names: dict[str, str]) -> Record:
    return {"doc": r.doc_id, "subject": _actor(r.subject_entity, r.subject_text, names),
            "relation": r.relation, "object": _actor(r.object_entity, r.object_text, names),
            "sentence": r.sentence, "start": r.start, "end": r.end,
            "valid_from": r.valid_from, "valid_to": r.valid_to}


_READERS = {"documents": documents, "entities": entities, "events": events, "timex": timex,
            "places": places, "relations": relations}


def table_records(conn: Connection, table: str) -> Iterator[Record]:
    return _READERS[table](conn)


def stats(conn: Connection) -> dict[str, int]:
    counts = {}
    for name in ("documents", "entities", "mentions", "events", "timexes", "places", "relations", "failures"):
        counts[name] = conn.scalar(select(func.count()).select_from(t.metadata.tables[name])) or 0
    counts["event clusters"] = conn.scalar(select(func.count(func.distinct(t.events.c.cluster_id)))) or 0
    return counts
