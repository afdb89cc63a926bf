"""newsgraph: who did what to whom, where and when, from your own news articles, with evidence."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["open", "Graph", "__version__"]


def open(db: str | None = None) -> Any:  # noqa: A001 - newsgraph.open(db), like io.open
    """Open a store for analysis: a Graph with .actors(), .events(), .timeline(), .relations(), .network(),
    .search(), .brief(). Imports the query layer only when called, so `import newsgraph` stays light."""
    from newsgraph.api import open as _open

    return _open(db)


def __getattr__(name: str) -> Any:
    if name == "Graph":
        from newsgraph.api import Graph

        return Graph
    raise AttributeError(f"module 'newsgraph' has no attribute {name!r}")
