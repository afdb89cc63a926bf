"""Ingest end to end on real parts: files -> clean -> spaCy -> SQLite."""

from __future__ import annotations

import json

from sqlalchemy import select

from newsgraph.engine import ingest
from newsgraph.query import stats
from newsgraph.store import schema as t
from tests.conftest import EXAMPLES


def _counts(store):
    with store.engine.connect() as conn:
        return stats(conn)


def test_examples_ingest_finds_actors_events_dates_and_places(store, extractor):
    summary = ingest([str(EXAMPLES)], store, extractor)
    assert summary.failed == []
    assert summary.added == 5  # three files and a JSONL of two rows
    counts = _counts(store)
    assert counts["entities"] >= 15
    assert counts["events"] >= 8
    assert counts["timexes"] >= 8
    assert counts["places"] >= 8
    with store.engine.connect() as conn:
        keys = set(conn.scalars(select(t.documents.c.key)))
    assert {"01_border_talks.txt", "03_drone_strike.html", "wire-0412", "wire-0413"} <= keys


def test_reingesting_the_same_folder_adds_nothing(store, extractor):
    ingest([str(EXAMPLES)], store, extractor)
    before = _counts(store)
    again = ingest([str(EXAMPLES)], store, extractor)
    assert again.added == 0 and again.unchanged == 5 and again.failed == []
    assert _counts(store) == before


def test_repeated_rows_are_reported_as_duplicates_not_failures(tmp_path, store, extractor):
    rows = tmp_path / "rows.csv"
    text = "Turkish jets struck PKK positions in northern Iraq on Monday."
    rows.write_text(f'id,text\n1,"{text}"\n2,"{text}"\n1,"{text}"\n')
    summary = ingest([str(rows)], store, extractor)
    assert (summary.added, len(summary.duplicates), summary.unchanged, summary.failed) == (1, 1, 1, [])
    assert ingest([str(rows)], store, extractor).unchanged == 3


def test_bad_documents_are_reported_by_name_and_the_batch_goes_on(tmp_path, store, extractor):
    ingest([str(EXAMPLES / "01_border_talks.txt")], store, extractor)
    before = _counts(store)
    corpus = tmp_path / "batch"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Iraq and Turkey agreed on Monday to open a new border crossing.\n")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\x00\xff" * 200)
    (corpus / "rows.jsonl").write_text(
        json.dumps({"id": "r1", "text": "Syria accused Israel of striking Damascus airport on Sunday."})
        + "\n{broken json\n" + json.dumps({"id": "r3", "title": "no text here"}) + "\n"
    )
    summary = ingest([str(corpus)], store, extractor)
    reasons = {f.key: f.reason for f in summary.failed}
    assert summary.added == 2
    assert "empty.txt" in reasons and "binary.txt" in reasons
    assert any("line 2" in r for r in reasons.values())
    assert any("text" in r for k, r in reasons.items() if "r3" in k or "line 3" in r)
    after = _counts(store)
    assert after["documents"] == before["documents"] + 2
    assert after["failures"] == len(summary.failed)


def test_user_stated_publication_date_is_kept_with_its_origin(tmp_path, store, extractor):
    f = tmp_path / "undated.txt"
    f.write_text("The Iraqi army retook the village of Badush from Islamic State fighters on Tuesday.\n")
    ingest([str(f)], store, extractor, published="2017-03-09")
    with store.engine.connect() as conn:
        row = conn.execute(select(t.documents.c.published, t.documents.c.published_from)).one()
        ev = conn.execute(select(t.events.c.date, t.events.c.date_text)).first()
    assert tuple(row) == ("2017-03-09", "user")
    assert ev is not None and ev.date == "2017-03-07" and "Tuesday" in ev.date_text
