"""Which mention speaks for each event (cluster of mentions), kept in the store as events.main.

Queries filter, order and page events by their main mention in SQL; so every write that adds a mention to a
cluster or joins two clusters (ingest, analyst overrides) marks the clusters it touched again here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.engine import Connection

from newsgraph.resolve.events import main_mention
from newsgraph.store import schema as t

CHUNK = 500  # ids per IN list, well under any database's limit on bound parameters


def mark_new_clusters(rows: list[dict[str, Any]], stored: set[str]) -> None:
    """Set "main" on a document's event rows before they are written: in a cluster only this document
    makes, the main mention is known without the store (its members in store order: by start, then id);
    rows of `stored` clusters start unmarked, and refresh_main settles them after the insert."""
    fresh: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        row["main"] = False
        if row["cluster_id"] not in stored:
            fresh[row["cluster_id"]].append(row)
    for members in fresh.values():
        members.sort(key=lambda r: (r["start"], r["id"]))
        main = main_mention([SimpleNamespace(**r) for r in members])
        for row in members:
            row["main"] = row["id"] == main.id


def _lock(conn: Connection, ids: list[str]) -> None:
    """On PostgreSQL, hold each cluster's lock until the transaction ends (in one order, so no deadlock): a
    concurrent writer adding to the same cluster waits, then reads this one's mentions, so a cluster never
    gets two main mentions. SQLite writers are already one at a time."""
    if conn.dialect.name != "postgresql":
        return
    for cluster_id in ids:
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:c, 0))"), {"c": cluster_id})


def refresh_main(conn: Connection, cluster_ids: Iterable[str]) -> None:
    """Mark the main mention of each of these clusters (members in store order, as queries read them)."""
    ids = sorted(set(cluster_ids))
    _lock(conn, ids)
    ev, d = t.events.c, t.documents.c
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        members: dict[str, list[Any]] = defaultdict(list)
        for row in conn.execute(
            select(ev.id, ev.cluster_id, ev.main, ev.date_text, ev.date_precision, ev.location_text,
                   ev.source_entity, ev.target_entity)
            .join(t.documents, d.id == ev.doc_id).where(ev.cluster_id.in_(part))
            .order_by(d.ingested_at, d.key, ev.start, ev.id)
        ):
            members[row.cluster_id].append(row)
        mains = {main_mention(rows).id for rows in members.values()}
        stale = [r.id for rows in members.values() for r in rows if bool(r.main) != (r.id in mains)]
        for flag in (True, False):
            changed = [x for x in stale if (x in mains) == flag]
            for j in range(0, len(changed), CHUNK):
                conn.execute(update(t.events).where(ev.id.in_(changed[j : j + CHUNK])).values(main=flag))
