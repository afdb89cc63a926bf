"""What the store holds at a glance: counts, events per month by quad class, top actors, latest events."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.engine import Connection

from newsgraph.query.actors import top_actors
from newsgraph.query.events import events_by_id, main_filters, main_rows
from newsgraph.query.timeline import quad_of
from newsgraph.store import schema as t

Record = dict[str, Any]


def _count(conn: Connection, table) -> int:
    return conn.scalar(select(func.count()).select_from(table)) or 0


def event_months(conn: Connection) -> list[Record]:
    """Events per month ('YYYY-MM') by quad class; an event dated coarser than a month counts in its first
    month, undated events are left out. Months without events between the first and last are listed with 0."""
    ev = t.events.c
    month = func.substr(ev.day_first, literal_column("1"), literal_column("7"))  # one expression for GROUP BY
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"1": 0, "2": 0, "3": 0, "4": 0})
    for key, type_, n in conn.execute(
        select(month, ev.type, func.count()).where(ev.main.is_(True), ev.negated.is_(False),
                                                   ev.day_first.is_not(None)).group_by(month, ev.type)
    ):
        quad = quad_of(type_)
        if quad is not None:
            counts[key][str(quad)] += n
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month_no = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month_no:02d}" <= last:
        key = f"{year:04d}-{month_no:02d}"
        out.append({"month": key, "quads": dict(counts.get(key, {"1": 0, "2": 0, "3": 0, "4": 0}))})
        year, month_no = (year + 1, 1) if month_no == 12 else (year, month_no + 1)
    return out


def overview(conn: Connection, top: int = 15, latest: int = 10) -> dict:
    """{"counts": {documents, actors, events, places, relations}, "months": [{"month", "quads": {"1".."4"}}],
    "top_actors": [as top_actors], "latest_events": [event records as find_events, newest first]}.

    Events are real-world events (clusters of mentions), negated ones left out; actors are those the
    articles mention; latest events are the most recently dated asserted (not hedged) ones."""
    ev = t.events.c
    events = conn.scalar(select(func.count()).select_from(t.events).where(ev.main.is_(True),
                                                                           ev.negated.is_(False))) or 0
    actors = conn.scalar(select(func.count(func.distinct(t.mentions.c.entity_id)))) or 0
    counts = {"documents": _count(conn, t.documents), "actors": actors, "events": events,
              "places": conn.scalar(select(func.count(func.distinct(func.coalesce(t.places.c.geonameid,
                                                                                  t.places.c.name))))) or 0,
              "relations": _count(conn, t.relations)}
    newest = main_rows(conn, main=[*main_filters(False, False), ev.day_first.is_not(None)], newest_first=True,
                       limit=latest)
    return {"counts": counts, "months": event_months(conn), "top_actors": top_actors(conn, top),
            "latest_events": events_by_id(conn, [r.cluster_id for r in newest])}
