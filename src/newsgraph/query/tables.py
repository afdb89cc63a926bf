"""The six public tables (export-format.md) as records, straight from the store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from newsgraph.resolve.events import main_mention
from newsgraph.store import schema as t

TABLES = ("documents", "entities", "events", "timex", "places", "relations")
Record = dict[str, Any]


def documents(conn: Connection) -> Iterator[Record]:
    keys: dict[str, list[str]] = defaultdict(list)
    k = t.document_keys.c
    for doc_id, key in conn.execute(select(k.doc_id, k.key).order_by(k.doc_id, k.key)):
        keys[doc_id].append(key)
    d = t.documents.c
    for r in conn.execute(select(d.id, d.key, d.source, d.title, d.outlet, d.author, d.url, d.published,
                                 d.published_from, d.language, d.sha256, d.words).order_by(d.ingested_at, d.key)):
        record = dict(r._mapping)
        record["keys"] = [x for x in dict.fromkeys(keys.get(r.id, [])) if x != r.key]  # other names, same text
        yield record


def _entity_names(conn: Connection) -> dict[str, str]:
    return dict(conn.execute(select(t.entities.c.id, t.entities.c.name)).all())


def entities(conn: Connection) -> Iterator[Record]:
    aliases: dict[str, list[str]] = defaultdict(list)
    for eid, alias in conn.execute(select(t.aliases.c.entity_id, t.aliases.c.alias).order_by(t.aliases.c.alias)):
        aliases[eid].append(alias)
    docs: dict[str, list[str]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    m = t.mentions.c
    for eid, doc_id, n in conn.execute(
        select(m.entity_id, m.doc_id, func.count()).group_by(m.entity_id, m.doc_id).order_by(m.doc_id)
    ):
        docs[eid].append(doc_id)
        counts[eid] += n
    e = t.entities.c
    for r in conn.execute(select(e.id, e.name, e.type, e.country, e.sector, e.wikidata, e.description)
                          .order_by(e.id)):
        if r.id not in docs:
            continue
        yield {"id": r.id, "name": r.name, "type": r.type, "aliases": aliases.get(r.id, []),
               "docs": docs[r.id], "mentions": counts[r.id], "country": r.country, "sector": r.sector,
               "wikidata": r.wikidata, "description": r.description}


def _actor(entity_id: str | None, text: str | None, names: dict[str, str]) -> Record | None:
    if text is None and entity_id is None:
        return None
    return {"entity": entity_id, "name": names.get(entity_id) if entity_id else None, "text": text}


def events(conn: Connection) -> Iterator[Record]:
    names = _entity_names(conn)
    ev = t.events.c
    rows = conn.execute(select(t.events).join(t.documents, t.documents.c.id == ev.doc_id)
                        .order_by(t.documents.c.ingested_at, t.documents.c.key, ev.start, ev.id)).all()
    clusters: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        clusters[r.cluster_id].append(r)
    for cluster_id, members in clusters.items():
        main = main_mention(members)
        others = [r for r in members if r is not main]
        location = None
        if main.location_text is not None:
            location = {"text": main.location_text, "name": main.location_name, "country": main.location_country,
                        "lat": main.location_lat, "lon": main.location_lon, "geonameid": main.location_geonameid}
        yield {
            "id": cluster_id, "doc": main.doc_id, "type": main.type, "mode": main.mode, "context": main.context,
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
    for r in conn.execute(select(x.doc_id, x.text, x.start, x.end, x.value, x.anchor, x.precision)
                          .order_by(x.doc_id, x.start)):
        yield {"doc": r.doc_id, "text": r.text, "start": r.start, "end": r.end, "value": r.value,
               "anchor": r.anchor, "precision": r.precision}


def places(conn: Connection) -> Iterator[Record]:
    p = t.places.c
    for r in conn.execute(select(t.places).order_by(p.doc_id, p.start)):
        yield {"doc": r.doc_id, "text": r.text, "start": r.start, "end": r.end, "entity": r.entity_id,
               "name": r.name, "country": r.country, "admin1": r.admin1, "lat": r.lat, "lon": r.lon,
               "geonameid": r.geonameid, "feature": r.feature}


def relations(conn: Connection) -> Iterator[Record]:
    names = _entity_names(conn)
    r_ = t.relations.c
    for r in conn.execute(select(t.relations).order_by(r_.doc_id, r_.start, r_.id)):
        yield {"doc": r.doc_id, "subject": _actor(r.subject_entity, r.subject_text, names),
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
