"""The Python API: `newsgraph.open(db)` and the same query layer the CLI and the web app use.

    >>> import newsgraph
    >>> g = newsgraph.open("newsgraph.db")
    >>> g.actors(5)                                   # records: plain dicts
    >>> g.events(actor="PMU", date_from="2016", as_frame=True)   # a pandas DataFrame

Every method returns JSON-serialisable records; `as_frame=True` returns a pandas DataFrame instead (pandas is
in the `analysis` extra). Methods open a connection per call, so a Graph can live as long as the program.
"""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]


class MissingDependency(ImportError):
    pass


def _frame(records: list[Record]):
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingDependency('as_frame=True needs pandas: pip install "newsgraph[analysis]"') from exc
    return pd.json_normalize(records, max_level=1) if records else pd.DataFrame()


class Graph:
    """A newsgraph store opened for reading (migrated to the current schema when opened)."""

    def __init__(self, db: str | None = None):
        from newsgraph.store.db import Store

        self.store = Store(db)
        self.url = self.store.url

    def __repr__(self) -> str:
        return f"<newsgraph.Graph {self.url}>"

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def _run(self, fn, *args: Any, **kw: Any):
        with self.store.engine.connect() as conn:
            return fn(conn, *args, **kw)

    def _out(self, records: list[Record], as_frame: bool):
        return _frame(records) if as_frame else records

    # ------------------------------------------------------------------ queries
    def stats(self) -> dict[str, int]:
        from newsgraph.query.tables import stats

        return self._run(stats)

    def overview(self) -> dict:
        from newsgraph.query.overview import overview

        return self._run(overview)

    def actors(self, n: int = 20, as_frame: bool = False):
        """The most mentioned actors: id, name, type, country, aliases, mentions, documents."""
        from newsgraph.query.actors import top_actors

        return self._out(self._run(top_actors, n), as_frame)

    def actor(self, name: str) -> Record:
        """One actor's profile (by any name or id): aliases, affiliations, events by type."""
        from newsgraph.query.actors import actor_profile
        from newsgraph.query.timeline import resolve_actor

        return self._run(lambda conn: actor_profile(conn, resolve_actor(conn, name)["id"]))

    def events(self, as_frame: bool = False, **filters: Any):
        """Events as `newsgraph events` lists them; filters: actor, type, date_from, date_to, place,
        include_hedged, include_negated, limit, offset (a page, read in the database)."""
        from newsgraph.query.events import find_events

        return self._out(self._run(find_events, **filters), as_frame)

    def timeline(self, name: str, with_: str | None = None, date_from: str | None = None,
                 date_to: str | None = None, as_frame: bool = False, **kw: Any):
        """The actor's events, oldest first, each with role, counterpart, evidence and source; limit and offset
        give one page."""
        from newsgraph.query.timeline import timeline

        return self._out(self._run(timeline, name, with_, date_from, date_to, **kw), as_frame)

    def relations(self, a: str, b: str, by: str = "year", as_frame: bool = False, **kw: Any):
        """The pair over time (relation_series); as_frame gives one row a period: counts, quads, score."""
        from newsgraph.query.relations import relation_series

        series = self._run(relation_series, a, b, by, **kw)
        if not as_frame:
            return series
        rows = [{"period": p["period"], "events": len(p["events"]), "score": p["score"],
                 **{f"quad{q}": n for q, n in p["quads"].items()}, **p["counts"],
                 "context": sum(p["context_counts"].values())}
                for p in series["periods"]]
        return _frame(rows).fillna({k: 0 for r in rows for k in r if k.isupper()})

    def network(self, as_frame: bool = False, as_json: bool = False, **kw: Any):
        """The actor network as a networkx DiGraph (kw: date_from, date_to, min_events, actor, depth);
        as_json gives {nodes, edges}; as_frame a DataFrame of edges."""
        from newsgraph.query.network import network, network_json

        graph = self._run(network, **kw)
        if as_frame:
            return _frame(network_json(graph)["edges"])
        return network_json(graph) if as_json else graph

    def search(self, text: str, limit: int = 20, as_frame: bool = False):
        """Sentences matching the text, best first, with their document and the matches marked."""
        from newsgraph.query.search import search

        return self._out(self._run(search, text, limit), as_frame)

    def brief(self, name: str, fmt: str | None = "md"):
        """A report on the actor, rendered as 'md' or 'html'; fmt=None gives the record."""
        from newsgraph.interfaces.brief import render_brief
        from newsgraph.query.brief import brief

        record = self._run(brief, name)
        return record if fmt is None else render_brief(record, fmt)


def open(db: str | None = None) -> Graph:  # noqa: A001 - newsgraph.open(db) is the API's name
    """Open a store (SQLite file or SQLAlchemy URL; default newsgraph.db or $NEWSGRAPH_DB)."""
    return Graph(db)
