"""The actor network: who acted on whom, how often, in what way, and when; as a networkx graph, JSON, GraphML
or GEXF.

Nodes are actors that take part in events with another named actor; an edge runs from source to target and
aggregates their events (for A-meets-B types the direction is the one the sentence gives). Edge attributes:
weight (events), types ({TYPE: n}), quads, score (cooperation–conflict, as relations), first and last date,
events (ids). Negated events are left out; hedged ones count with half weight in the score only.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from newsgraph.query.events import main_filters
from newsgraph.query.relations import QUAD_WEIGHT
from newsgraph.query.timeline import bounds, quad_of, resolve_actor
from newsgraph.store import schema as t

Record = dict[str, Any]


class NetworkError(ValueError):
    pass


def _nx():
    try:
        import networkx
    except ImportError as exc:  # pragma: no cover - networkx ships with the analysis extra
        raise NetworkError('the network needs networkx: pip install "newsgraph[analysis]"') from exc
    return networkx


def network(conn: Connection, date_from: str | None = None, date_to: str | None = None, min_events: int = 1,
            actor: str | None = None, depth: int = 1):
    """A networkx.DiGraph of actors (node attrs: name, type, country, sector, events) and their events (edge
    attrs as the module says). min_events drops weaker edges (and actors left alone); actor keeps its
    neighbourhood up to `depth` edges away (in either direction)."""
    nx = _nx()
    if min_events < 1:
        raise NetworkError(f"min_events must be at least 1, not {min_events}")
    if depth < 1:
        raise NetworkError(f"depth must be at least 1, not {depth}")
    low, high = bounds(date_from, date_to)
    centre = resolve_actor(conn, actor)["id"] if actor else None
    ev = t.events.c
    groups = conn.execute(  # one row a (source, target, type, hedged): counted in the database
        select(ev.source_entity, ev.target_entity, ev.type, ev.hedged, func.count(), func.min(ev.day_first),
               func.max(ev.day_last), func.aggregate_strings(ev.cluster_id, " "))
        .where(ev.main.is_(True), *main_filters(True, False, low, high), ev.source_entity.is_not(None),
               ev.target_entity.is_not(None), ev.source_entity != ev.target_entity)
        .group_by(ev.source_entity, ev.target_entity, ev.type, ev.hedged)
    ).all()
    edges: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for row in groups:
        edges[(row[0], row[1])].append(row)
    graph = nx.DiGraph()
    for (a, b), parts in edges.items():
        weight = sum(p[4] for p in parts)
        if weight < min_events:
            continue
        quads: Counter = Counter()
        num = den = 0.0  # the score of relations.score, from the counts
        for _, _, kind, hedged, n, *_ in parts:
            q = quad_of(kind)
            if q:
                quads[str(q)] += n
            if q in QUAD_WEIGHT:
                w = n * (0.5 if hedged else 1.0)
                num, den = num + w * QUAD_WEIGHT[q], den + w * 2.0
        types: Counter = Counter()
        for p in parts:
            types[p[2]] += p[4]
        firsts = [p[5] for p in parts if p[5]]
        lasts = [p[6] for p in parts if p[6]]
        graph.add_edge(a, b, weight=weight, types=dict(types), quads=dict(sorted(quads.items())),
                       score=round(num / den, 3) if den else None, first=min(firsts) if firsts else None,
                       last=max(lasts) if lasts else None,
                       events=sorted(x for p in parts for x in p[7].split(" ")))
    if centre is not None:
        if centre not in graph:
            graph = nx.DiGraph()
            graph.add_node(centre)
        else:
            keep = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre, cutoff=depth)
            graph = graph.subgraph(keep).copy()
    e = t.entities.c
    ids = list(graph.nodes)
    info = {r.id: r for r in conn.execute(select(e.id, e.name, e.type, e.country, e.sector).where(e.id.in_(ids)))}
    for node in ids:
        r = info.get(node)
        graph.nodes[node].update(name=r.name if r else node, type=r.type if r else None,
                                 country=r.country if r else None, sector=r.sector if r else None,
                                 events=sum(d["weight"] for *_, d in graph.in_edges(node, data=True))
                                 + sum(d["weight"] for *_, d in graph.out_edges(node, data=True)))
    return graph


def network_json(graph) -> dict:
    """{"nodes": [{id, name, type, country, sector, events}], "edges": [{source, target, weight, types, quads,
    score, first, last, events}]}, heaviest first."""
    nodes = [{"id": n, **d} for n, d in graph.nodes(data=True)]
    nodes.sort(key=lambda n: (-(n.get("events") or 0), n.get("name") or n["id"]))
    edges = [{"source": a, "target": b, **d} for a, b, d in graph.edges(data=True)]
    edges.sort(key=lambda x: (-x["weight"], x["source"], x["target"]))
    return {"nodes": nodes, "edges": edges}


def _scalar_copy(graph):
    """GraphML and GEXF take scalars only: dicts and lists become JSON strings, None an empty string."""
    flat = graph.copy()
    for _, d in flat.nodes(data=True):
        for k, v in list(d.items()):
            d[k] = json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else ("" if v is None else v)
    for *_, d in flat.edges(data=True):
        for k, v in list(d.items()):
            d[k] = json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else ("" if v is None else v)
    return flat


def write_graphml(graph, path: str | Path) -> None:
    _nx().write_graphml(_scalar_copy(graph), str(path))


def write_gexf(graph, path: str | Path) -> None:
    _nx().write_gexf(_scalar_copy(graph), str(path))


def write_network(graph, path: str | Path, fmt: str) -> None:
    """Write the graph as graphml, gexf or json."""
    if fmt == "graphml":
        write_graphml(graph, path)
    elif fmt == "gexf":
        write_gexf(graph, path)
    elif fmt == "json":
        Path(path).write_text(json.dumps(network_json(graph), ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        raise NetworkError(f"unknown network format {fmt!r}: graphml, gexf or json")
