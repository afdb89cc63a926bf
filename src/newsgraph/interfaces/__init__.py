"""Outputs built on the query layer: export files (and, later, graph formats)."""
