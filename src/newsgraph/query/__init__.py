"""Read-only functions over the store, shared by the CLI, web app, Python API, export and eval."""

from newsgraph.query.tables import TABLES, stats, table_records

__all__ = ["TABLES", "stats", "table_records"]
