"""Export writes the six public tables with the contract's field names, in every format."""

from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq
import pytest

from newsgraph.engine import ingest
from newsgraph.interfaces.export import export
from tests.conftest import EXAMPLES

CONTRACT = {
    "documents": {"id", "key", "source", "title", "outlet", "author", "published", "published_from",
                  "language", "sha256", "words"},
    "entities": {"id", "name", "type", "aliases", "docs", "mentions", "country", "wikidata", "description"},
    "events": {"id", "doc", "type", "mode", "context", "cameo", "source", "target", "date", "date_precision",
               "date_text", "location", "negated", "hedged", "sentence", "start", "end", "attribution",
               "mentions", "confidence"},
    "timex": {"doc", "text", "start", "end", "value", "anchor"},
    "places": {"doc", "text", "start", "end", "entity", "name", "country", "admin1", "lat", "lon",
               "geonameid", "feature"},
    "relations": {"doc", "subject", "relation", "object", "sentence", "start", "end", "valid_from", "valid_to"},
}


@pytest.fixture()
def filled(store, extractor):
    ingest([str(EXAMPLES)], store, extractor)
    return store


def test_jsonl_export_has_every_contract_field(filled, tmp_path):
    counts = export(filled.engine, tmp_path, "jsonl")
    for table, fields in CONTRACT.items():
        rows = [json.loads(line) for line in (tmp_path / f"{table}.jsonl").read_text().splitlines()]
        assert len(rows) == counts[table] > 0, table
        assert fields <= set(rows[0]), (table, fields - set(rows[0]))


def test_event_rows_point_to_their_sentence_in_the_document_text(filled, tmp_path):
    export(filled.engine, tmp_path, "jsonl")
    from sqlalchemy import select

    from newsgraph.store import schema as t

    with filled.engine.connect() as conn:
        texts = dict(conn.execute(select(t.documents.c.id, t.documents.c.text)).all())
    for line in (tmp_path / "events.jsonl").read_text().splitlines():
        ev = json.loads(line)
        assert texts[ev["doc"]][ev["start"] : ev["end"]] == ev["sentence"]
        assert ev["source"] is None or {"entity", "name", "text"} <= set(ev["source"])


def test_csv_and_parquet_flatten_nested_fields_with_underscores(filled, tmp_path):
    export(filled.engine, tmp_path / "c", "csv")
    export(filled.engine, tmp_path / "p", "parquet")
    with (tmp_path / "c" / "events.csv").open() as fh:
        header = next(csv.reader(fh))
    assert {"source_name", "source_entity", "target_text", "location_lat"} <= set(header)
    table = pq.read_table(tmp_path / "p" / "events.parquet")
    assert "source_name" in table.column_names
    with (tmp_path / "c" / "events.csv").open(newline="") as fh:
        assert table.num_rows == sum(1 for _ in csv.reader(fh)) - 1
