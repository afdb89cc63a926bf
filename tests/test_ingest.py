"""Ingest end to end on real parts: files -> clean -> spaCy -> SQLite."""

from __future__ import annotations

import json

from sqlalchemy import select

from newsgraph.engine import ingest
from newsgraph.query import stats
from newsgraph.store import schema as t
from tests.conftest import EXAMPLES, sqlite_only


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


@sqlite_only  # PostgreSQL's autovacuum analyzes by itself
def test_planner_statistics_follow_a_store_that_grows_by_a_tenth(store, extractor, tmp_path):
    from sqlalchemy import text

    def analysed() -> int:
        with store.engine.connect() as conn:
            return conn.scalar(text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'documents'")).split()[0]

    ingest([str(EXAMPLES / "01_border_talks.txt")], store, extractor)
    assert analysed() == "1"  # statistics from the first document on
    folder = tmp_path / "more"
    folder.mkdir()
    for i in range(12):
        (folder / f"{i}.txt").write_text(f"Iraq and Turkey agreed on Monday to open border crossing number {i}.\n")
    ingest([str(folder / "0.txt")], store, extractor)
    assert analysed() == "2"  # 1 -> 2 documents
    ingest([str(folder)], store, extractor)
    assert analysed() == "13"
    assert not store.refresh_statistics(1)  # 13 documents, analysed at 13: not a tenth more


def test_reingesting_the_same_folder_adds_nothing(store, extractor):
    ingest([str(EXAMPLES)], store, extractor)
    before = _counts(store)
    again = ingest([str(EXAMPLES)], store, extractor)
    assert again.added == 0 and again.unchanged == 5 and again.failed == []
    assert _counts(store) == before


def test_inputs_read_before_are_skipped_without_cleaning_and_a_changed_one_is_read_again(
        tmp_path, store, extractor, monkeypatch):
    import importlib

    ingesting = importlib.import_module("newsgraph.engine.ingest")  # the package re-exports a function so named
    cleaned: list[str] = []
    real_clean = ingesting.clean
    monkeypatch.setattr(ingesting, "clean", lambda raw, limits=None: cleaned.append(raw.key) or real_clean(raw, limits))
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Iraq and Turkey agreed on Monday to open a new border crossing.\n")
    (corpus / "b.txt").write_text("Syria accused Israel of striking Damascus airport on Sunday.\n")
    assert ingest([str(corpus)], store, extractor).added == 2 and sorted(cleaned) == ["a.txt", "b.txt"]
    cleaned.clear()
    again = ingest([str(corpus)], store, extractor)
    assert (again.added, again.unchanged, cleaned) == (0, 2, [])  # fingerprints match: nothing cleaned
    (corpus / "b.txt").write_text("Syria accused Israel of striking Damascus airport on Sunday.\n\n\n")
    changed = ingest([str(corpus)], store, extractor)  # other bytes, the same clean text: read, not stored twice
    assert (changed.added, changed.unchanged, cleaned) == (0, 2, ["b.txt"])
    cleaned.clear()
    assert ingest([str(corpus)], store, extractor).unchanged == 2 and cleaned == []  # its new fingerprint kept
    with store.engine.connect() as conn:
        assert conn.scalar(select(t.documents.c.id).where(t.documents.c.key == "b.txt")) is not None
        assert conn.execute(select(t.document_keys.c.raw_sha256)).scalars().all().count(None) == 0


def test_a_failure_is_forgotten_when_its_input_is_read_again_as_stored(tmp_path, store, extractor):
    f = tmp_path / "a.txt"
    f.write_text("Iraq and Turkey agreed on Monday to open a new border crossing.\n")
    ingest([str(f)], store, extractor)
    good = f.read_bytes()
    f.write_bytes(b"")
    assert [x.key for x in ingest([str(f)], store, extractor).failed] == ["a.txt"]
    assert store.count("failures") == 1
    f.write_bytes(good)
    assert ingest([str(f)], store, extractor).unchanged == 1
    assert store.count("failures") == 0


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
