"""Reading an export directory (one JSON Lines file per table) for scoring."""

from __future__ import annotations

import json
from pathlib import Path

TABLES: tuple[str, ...] = ("documents", "entities", "events", "timex", "places", "relations")


def load_tables(directory: str | Path) -> dict[str, list[dict]]:
    """Load `<table>.jsonl` files from an export dir; a missing file is an empty table, so partial
    exports can still be scored."""
    base = Path(directory)
    tables: dict[str, list[dict]] = {}
    for name in TABLES:
        path = base / f"{name}.jsonl"
        rows: list[dict] = []
        if path.is_file():
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        rows.append(json.loads(line))
        tables[name] = rows
    return tables
