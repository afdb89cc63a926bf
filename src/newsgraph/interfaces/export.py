"""Writing the six public tables as JSON Lines, CSV or Parquet (export-format.md)."""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator
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


def export(engine: Engine, directory: str | Path, fmt: str = "jsonl") -> dict[str, int]:
    """Each table written to a temporary file, then renamed over the old one; records are streamed from
    the store and written as they come, so memory stays flat whatever the store's size."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    with engine.connect() as conn:
        for table in TABLES:
            path = out / f"{table}.{fmt}"
            tmp = path.with_suffix(path.suffix + ".tmp")
            counts[table] = _WRITERS[fmt](table_records(conn, table), tmp)
            tmp.replace(path)
    return counts


def _jsonl(records: Iterable[dict[str, Any]], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
    return n


class _Spool:
    """Flattened rows on a temporary file, with every column any row has (in first-seen order) and the
    Python types seen in each: CSV and Parquet need all columns before the first row is written."""

    def __init__(self, records: Iterable[dict[str, Any]]):
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.columns: dict[str, set[type]] = {}
        self.count = 0
        for r in records:
            row = flatten(r)
            for k, v in row.items():
                self.columns.setdefault(k, set()).add(type(v))
            self.file.write(json.dumps(row, ensure_ascii=False) + "\n")
            self.count += 1
        self.file.seek(0)

    def rows(self) -> Iterator[dict[str, Any]]:
        for line in self.file:
            yield json.loads(line)

    def close(self) -> None:
        self.file.close()


def _csv(records: Iterable[dict[str, Any]], path: Path) -> int:
    spool = _Spool(records)
    try:
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(spool.columns))
            writer.writeheader()
            writer.writerows(spool.rows())
    finally:
        spool.close()
    return spool.count


PARQUET_ROWS = 10_000  # rows a Parquet row group holds


def _arrow_type(seen: set[type]):
    import pyarrow as pa

    kinds = seen - {type(None)}
    if not kinds:
        return pa.null()
    if kinds == {bool}:
        return pa.bool_()
    if kinds == {int}:
        return pa.int64()
    if kinds <= {int, float}:
        return pa.float64()
    return pa.string()


def _parquet(records: Iterable[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    spool = _Spool(records)
    try:
        # every column any row has: a schema from the first rows would drop e.g. location_name when the
        # first event has no place
        schema = pa.schema([(c, _arrow_type(seen)) for c, seen in spool.columns.items()])
        with pq.ParquetWriter(path, schema) as writer:
            chunk: list[dict[str, Any]] = []
            for row in spool.rows():
                chunk.append(row)
                if len(chunk) >= PARQUET_ROWS:
                    writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                    chunk = []
            if chunk or not spool.count:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
    finally:
        spool.close()
    return spool.count


_WRITERS = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet}
