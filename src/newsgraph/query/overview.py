"""What the store holds at a glance: counts, events per month by quad class, top actors, latest events."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from newsgraph.query.actors import top_actors
from newsgraph.query.events import _chronological, _clusters, date_range
from newsgraph.query.timeline import quad_of
from newsgraph.store import schema as t

Record = dict[str, Any]


def _count(conn: Connection, table) -> int:
    return conn.scalar(select(func.count()).select_from(table)) or 0


def event_months(events: list[Record]) -> list[Record]:
    """Events per month ('YYYY-MM') by quad class; an event dated coarser than a month counts in its first
    month, undated events are left out. Months without events between the first and last are listed with 0."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"1": 0, "2": 0, "3": 0, "4": 0})
    for e in events:
        span = date_range(e["date"])
        quad = quad_of(e["type"])
        if span is None or quad is None:
            continue
        counts[f"{span[0].year:04d}-{span[0].month:02d}"][str(quad)] += 1
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        out.append({"month": key, "quads": dict(counts.get(key, {"1": 0, "2": 0, "3": 0, "4": 0}))})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def overview(conn: Connection, top: int = 15, latest: int = 10) -> dict:
    """{"counts": {documents, actors, events, places, relations}, "months": [{"month", "quads": {"1".."4"}}],
    "top_actors": [as top_actors], "latest_events": [event records as find_events, newest first]}.

    Events are real-world events (clusters of mentions), negated ones left out; actors are those the
    articles mention; latest events are the most recently dated asserted (not hedged) ones."""
    events = [e for e in _clusters(conn) if not e["negated"]]
    actors = conn.scalar(select(func.count(func.distinct(t.mentions.c.entity_id)))) or 0
    counts = {"documents": _count(conn, t.documents), "actors": actors, "events": len(events),
              "places": conn.scalar(select(func.count(func.distinct(func.coalesce(t.places.c.geonameid,
                                                                                  t.places.c.name))))) or 0,
              "relations": _count(conn, t.relations)}
    dated = sorted((e for e in events if e["date"] and not e["hedged"]), key=_chronological, reverse=True)
    return {"counts": counts, "months": event_months(events), "top_actors": top_actors(conn, top),
            "latest_events": dated[:latest]}
