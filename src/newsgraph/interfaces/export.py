"""Writing the six public tables as JSON Lines, CSV or Parquet (export-format.md)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from newsgraph.query import TABLES, table_records

FORMATS = ("jsonl", "csv", "parquet")


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects flattened with '_' (source_name); lists kept as JSON text."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "_"))
        elif isinstance(value, list):
            out[name] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = value
    return out


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    cols: dict[str, None] = {}
    for r in rows:
        for k in r:
            cols.setdefault(k, None)
    return list(cols)


def export(engine: Engine, directory: str | Path, fmt: str = "jsonl") -> dict[str, int]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    with engine.connect() as conn:
        for table in TABLES:
            records = list(table_records(conn, table))
            counts[table] = len(records)
            path = out / f"{table}.{fmt}"
            tmp = path.with_suffix(path.suffix + ".tmp")
            if fmt == "jsonl":
                with tmp.open("w", encoding="utf-8") as fh:
                    for r in records:
                        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            else:
                rows = [flatten(r) for r in records]
                if fmt == "csv":
                    with tmp.open("w", encoding="utf-8", newline="") as fh:
                        writer = csv.DictWriter(fh, fieldnames=_columns(rows))
                        writer.writeheader()
                        writer.writerows(rows)
                else:
                    import pyarrow as pa
                    import pyarrow.parquet as pq

                    # Every column any row has (from_pylist would take the first row's keys only and drop
                    # e.g. location_name when the first event has no place).
                    cols = _columns(rows)
                    table_ = pa.table({c: [r.get(c) for r in rows] for c in cols})
                    pq.write_table(table_, tmp)
            tmp.replace(path)
    return counts
