"""Query latency on a large store: timeline, relations, network, search, events, as the CLI and web ask.

    python bench/query.py --db STORE [--copies K] [--repeat N]

Copies the store (an ingested corpus, e.g. FA-KES) into a scratch SQLite file and replicates its documents,
sentences, mentions and events K times with new ids, keys and dates shifted by whole years, until it holds
K+1 times the events (FA-KES: ~5,500 events, so --copies 9 gives ~55,000). Then times each query N times
for several of the most active actors and prints p50 and p95 latencies in milliseconds: an actor's timeline
and events a page at a time (as the web app and the API ask), the relations of a pair, the whole network,
full-text search, one event, the overview page, and (timeline*) an actor's whole timeline in one call.
Each query runs once untimed first, as in a running app (dictionary loaded, SQLite pages cached). Last, the
whole store is exported as JSON Lines (time, Python memory peak).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

PAGE = 50  # events a page: what the CLI, the web app and the API ask for at a time


def replicate(path: str, copies: int) -> int:
    """K more copies of the corpus in the store at path; returns the number of events."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    for k in range(1, copies + 1):
        s = f"-r{k}"
        con.execute(f"""INSERT INTO documents SELECT id || '{s}', key || '{s}', source, title, outlet, author, url,
            CASE WHEN published IS NULL THEN NULL ELSE printf('%04d', substr(published, 1, 4) + {k})
                 || substr(published, 5) END,
            published_from, language, sha256 || '{s}', words, text, offset_map, ingested_at FROM documents
            WHERE id NOT LIKE '%-r%'""")
        con.execute(f"""INSERT INTO document_keys (doc_id, key, source) SELECT doc_id || '{s}', key || '{s}', source
            FROM document_keys WHERE doc_id NOT LIKE '%-r%'""")
        con.execute(f"""INSERT INTO sentences SELECT doc_id || '{s}', idx, start, "end", text FROM sentences
            WHERE doc_id NOT LIKE '%-r%'""")
        con.execute(f"""INSERT INTO mentions (doc_id, entity_id, text, start, "end", label, sentence)
            SELECT doc_id || '{s}', entity_id, text, start, "end", label, sentence FROM mentions
            WHERE doc_id NOT LIKE '%-r%'""")
        cols = [r[1] for r in con.execute("PRAGMA table_info(events)")]
        shifted = {
            "id": f"id || '{s}'", "cluster_id": f"cluster_id || '{s}'", "doc_id": f"doc_id || '{s}'",
            "signature": f"CASE WHEN signature IS NULL THEN NULL ELSE signature || '{s}' END",
        }
        for col in ("date", "day_first", "day_last"):  # whole years later (a decade value '201' stays)
            shifted[col] = (f"CASE WHEN {col} IS NULL OR length({col}) < 4 THEN {col} "
                            f"ELSE printf('%04d', substr({col}, 1, 4) + {k}) || substr({col}, 5) END")
        select = ", ".join(shifted.get(c, f'"{c}"') for c in cols)
        con.execute(f"INSERT INTO events ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
                    f"SELECT {select} FROM events WHERE id NOT LIKE '%-r%'")
    con.commit()
    n = con.execute("SELECT count(DISTINCT cluster_id) FROM events").fetchone()[0]
    con.execute("ANALYZE")
    con.close()
    return n


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def export_figures(engine, tmp: str) -> None:
    """The whole store exported as JSON Lines: time and the most memory Python held meanwhile."""
    import tracemalloc

    from newsgraph.interfaces.export import export

    tracemalloc.start()
    start = time.perf_counter()
    counts = export(engine, os.path.join(tmp, "export"), "jsonl")
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"export      {counts['events']} events, {sum(counts.values())} records as JSONL in {seconds:.1f} s; "
          f"Python memory peak {peak:.0f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="an ingested SQLite store (copied, never changed)")
    ap.add_argument("--copies", type=int, default=9)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    if not os.path.exists(args.db):
        print(f"no store at {args.db}", file=sys.stderr)
        return 2

    from newsgraph.query.actors import top_actors
    from newsgraph.query.events import event, find_events, main_rows
    from newsgraph.query.network import network
    from newsgraph.query.overview import overview
    from newsgraph.query.relations import relation_series
    from newsgraph.query.search import search
    from newsgraph.query.timeline import timeline
    from newsgraph.store.db import Store, make_engine

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "big.db")
        shutil.copy(args.db, path)
        Store(f"sqlite:///{path}").close()  # a store written by an older version is migrated first
        start = time.perf_counter()
        events = replicate(path, args.copies)
        print(f"store       {events} events after {args.copies} copies ({time.perf_counter() - start:.1f} s)")
        engine = make_engine(f"sqlite:///{path}")  # as the CLI and web app open it
        with engine.connect() as conn:
            actors = [a["id"] for a in top_actors(conn, 12) if a["type"] in {"ORG", "PERSON"}][:4]
            pairs = list(zip(actors, actors[1:], strict=False))[:3]
            some = [r.cluster_id for r in main_rows(conn, limit=200)][::40]
            queries: dict[str, list[Callable[[], object]]] = {
                "timeline": [lambda a=a: timeline(conn, a, limit=PAGE) for a in actors],
                "relations": [lambda p=p: relation_series(conn, p[0], p[1]) for p in pairs],
                "network": [lambda: network(conn, min_events=3)],
                "search": [lambda w=w: search(conn, w, limit=20) for w in ("chemical attack", "ceasefire", "Aleppo")],
                "events": [lambda a=a: find_events(conn, actor=a, limit=PAGE) for a in actors],
                "event": [lambda i=i: event(conn, i) for i in some],
                "overview": [lambda: overview(conn)],
                "timeline*": [lambda a=a: timeline(conn, a) for a in actors],
            }
            sizes = {a: len(timeline(conn, a)) for a in actors}
            print(f"actors      {', '.join(f'{a} ({n} events)' for a, n in sizes.items())}")
            print(f"{'query':10} {'runs':>5} {'p50 ms':>8} {'p95 ms':>8}")
            for name, calls in queries.items():
                for call in calls:  # once untimed: a running app has its dictionary and caches loaded
                    call()
                times = [t for call in calls for t in timed(call, args.repeat)]
                p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
                print(f"{name:10} {len(times):5} {statistics.median(times):8.0f} {p95:8.0f}")
        export_figures(engine, tmp)
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
