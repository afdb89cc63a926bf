"""SQL constructs the query layer needs beyond SQLAlchemy's own, compiled for each database."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement


class _Unindexed(ColumnElement):
    """A column that the database must not look up through an index in this condition."""

    inherit_cache = True

    def __init__(self, column: ColumnElement) -> None:
        self.column = column
        self.type = column.type


def unindexed(column: ColumnElement) -> ColumnElement:
    """The column as a plain filter: SQLite's unary + keeps its planner from using an index on it (it may
    otherwise probe an index once for every value of a long IN list); other databases get the column."""
    return _Unindexed(column)


@compiles(_Unindexed)
def _plain(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(_Unindexed, "sqlite")
def _sqlite(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.column, **kw)
