"""The store: migrations, atomic writes, content-hash idempotency."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select

from newsgraph.model import Document, Event, Extraction, Mention, Role
from newsgraph.store import schema as t
from newsgraph.store.db import Store, StoreError, content_hash
from tests.conftest import downgrade, sqlite_only, store_url


def test_fresh_database_is_migrated_to_every_table(tmp_path):
    url = store_url(tmp_path, "fresh")
    store = Store(url)
    names = set(inspect(store.engine).get_table_names())
    assert {"documents", "entities", "aliases", "mentions", "events", "timexes", "places", "relations",
            "failures", "alembic_version"} <= names
    Store(url).close()  # opening again is a no-op migration
    store.close()


@sqlite_only
def test_missing_database_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(f"sqlite:///{tmp_path}/nope/x.db")


def _extraction(text: str) -> Extraction:
    doc = Document(key="a.txt", source="a.txt", text=text, sha256=content_hash(text), published="2020-01-03")
    return Extraction(
        document=doc,
        sentences=[(0, len(text))],
        mentions=[Mention("Kataib Hezbollah", 0, 16, "ORG", 0, "KH", "Kataib Hezbollah", "IQ")],
        events=[Event("ASSAULT", "attacked", 0, 0, len(text), Role("Kataib Hezbollah", 0, 16, 0), None)],
    )


def test_a_failed_write_leaves_nothing_behind(store, extractor):
    ex = _extraction("Kataib Hezbollah attacked a base.")
    ex.events[0].source = Role("x", 0, 1, 5)  # points at a mention that does not exist
    with pytest.raises(IndexError):
        store.save(ex, extractor.dictionary)
    with store.engine.connect() as conn:
        for table in (t.documents, t.mentions, t.entities, t.events):
            assert conn.execute(select(table)).first() is None


def test_same_content_is_stored_once(store, extractor):
    ex = _extraction("Kataib Hezbollah attacked a base.")
    assert store.save(ex, extractor.dictionary) == "added"
    assert store.save(_extraction("Kataib Hezbollah attacked a base."), extractor.dictionary) == "unchanged"
    assert store.count("documents") == 1 and store.count("events") == 1


def test_same_text_under_another_key_is_recorded_as_a_duplicate_key(store, extractor):
    store.save(_extraction("Kataib Hezbollah attacked a base."), extractor.dictionary)
    again = _extraction("Kataib Hezbollah attacked a base.")
    again.document.key = "copy.txt"
    assert store.save(again, extractor.dictionary) == "duplicate"
    assert store.count("documents") == 1 and store.count("document_keys") == 2


def _main_flags_agree_with_main_mention(url: str) -> int:
    """Every event cluster has exactly one main mention, the one resolve.events.main_mention picks."""
    from collections import defaultdict

    from sqlalchemy import create_engine

    from newsgraph.resolve.events import main_mention
    from newsgraph.timespan import day_bounds

    engine = create_engine(url)
    ev, d = t.events.c, t.documents.c
    with engine.connect() as conn:
        rows = conn.execute(select(t.events).join(t.documents, d.id == ev.doc_id)
                            .order_by(d.ingested_at, d.key, ev.start, ev.id)).all()
    engine.dispose()
    clusters = defaultdict(list)
    for r in rows:
        clusters[r.cluster_id].append(r)
        assert (r.day_first, r.day_last) == day_bounds(r.date)
    for members in clusters.values():
        assert [r.id for r in members if r.main] == [main_mention(members).id]
    return len(clusters)


def test_each_event_keeps_one_main_mention_through_ingest_merge_and_migration(tmp_path):
    from click.testing import CliRunner
    from sqlalchemy import create_engine

    from newsgraph.cli import main
    from tests.conftest import SHARED, store_url

    url = store_url(tmp_path, "seeds")
    result = CliRunner().invoke(main, ["ingest", str(SHARED / "data" / "seeds"), "--db", url, "--quiet"])
    assert result.exit_code == 0, result.output
    with create_engine(url).connect() as conn:  # some events are told by several articles
        assert conn.scalar(select(func.count(func.distinct(t.events.c.cluster_id)))) < \
            conn.scalar(select(func.count()).select_from(t.events))
    events = _main_flags_agree_with_main_mention(url)
    assert events > 20

    merged = CliRunner().invoke(main, ["merge", "SYR_GOV", "ASSAD", "--db", url])  # moves event roles
    assert merged.exit_code == 0, merged.output
    assert _main_flags_agree_with_main_mention(url) <= events

    downgrade(url, "0006")
    Store(url).close()  # opening upgrades and marks the main mentions of the events stored before
    _main_flags_agree_with_main_mention(url)


def test_the_fetch_cache_migration_goes_down_and_up_again(tmp_path):

    from newsgraph.store.db import migrate

    url = store_url(tmp_path, "cache")
    store = Store(url)
    assert "fetch_cache" in inspect(store.engine).get_table_names()
    downgrade(url, "0007")
    assert "fetch_cache" not in inspect(store.engine).get_table_names()
    migrate(store.engine)
    assert "fetch_cache" in inspect(store.engine).get_table_names()
    store.close()


def test_the_input_fingerprint_migration_goes_down_and_up_again(tmp_path):
    from newsgraph.store.db import migrate

    url = store_url(tmp_path, "prints")
    store = Store(url)

    def columns() -> set[str]:
        return {c["name"] for c in inspect(store.engine).get_columns("document_keys")}

    assert "raw_sha256" in columns()
    downgrade(url, "0009")
    assert "raw_sha256" not in columns()
    migrate(store.engine)
    assert "raw_sha256" in columns()
    store.close()


def test_the_event_cluster_span_index_migration_goes_down_and_up_again(tmp_path):
    from newsgraph.store.db import migrate

    url = store_url(tmp_path, "spans")
    store = Store(url)

    def indexes() -> set[str]:
        return {i["name"] for i in inspect(store.engine).get_indexes("events")}

    assert "ix_events_cluster_span" in indexes() and "ix_events_cluster" not in indexes()
    downgrade(url, "0008")
    assert "ix_events_cluster" in indexes() and "ix_events_cluster_span" not in indexes()
    migrate(store.engine)
    assert "ix_events_cluster_span" in indexes() and "ix_events_cluster" not in indexes()
    store.close()


def _rows(conn, table) -> list[tuple]:
    return [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]


@sqlite_only
def test_bulk_rows_are_stored_as_sqlalchemys_own_executemany_stores_them(tmp_path):
    """The driver-level executemany of Store writes the rows SQLAlchemy's compiled insert would write:
    booleans as integers, floats from integers, NaN, None and text as they are."""
    from newsgraph.store.db import _insert_rows

    store = Store(store_url(tmp_path, "bulk"))
    text = "Forces shelled Aleppo."
    doc = {"id": "d1", "key": "k", "source": "s", "title": None, "outlet": None, "author": None, "url": None,
           "published": None, "published_from": None, "language": "en", "sha256": "h", "words": 3,
           "text": text, "offset_map": None, "ingested_at": "2026-01-01T00:00:00+00:00"}

    def event(i: int, doc_id: str) -> dict:
        return {"id": f"{doc_id}e{i}", "cluster_id": f"c{i}", "doc_id": doc_id, "type": "ASSAULT", "mode": None,
                "context": None, "cameo": "19", "trigger": "shelled", "source_entity": None, "source_text": "Forces",
                "target_entity": None, "target_text": None, "date": "2016", "date_precision": "year",
                "date_text": None, "location_text": "Aleppo", "location_name": "Aleppo", "location_country": "SY",
                "location_lat": 36 if i else float("nan"), "location_lon": None, "location_geonameid": 170063,
                "negated": bool(i % 2), "hedged": False, "attribution": None, "sentence": text, "start": 0,
                "end": len(text), "confidence": 1 if i else 0.65, "signature": None, "day_first": None,
                "day_last": None, "main": i == 0}

    def place(i: int, doc_id: str) -> dict:
        return {"doc_id": doc_id, "text": "Aleppo", "start": 15 + i, "end": 21, "entity_id": None, "name": "Aleppo",
                "country": "SY", "admin1": None, "lat": 36.2 if i else 36, "lon": None, "geonameid": None,
                "feature": "P.PPLA", "qualifier": "east" if i else None}

    with store.engine.begin() as conn:
        for doc_id in ("d1", "d2"):
            conn.execute(t.documents.insert(), {**doc, "id": doc_id, "sha256": doc_id})
        _insert_rows(conn, "events", [event(i, "d1") for i in range(3)])
        conn.execute(t.events.insert(), [event(i, "d2") for i in range(3)])
        _insert_rows(conn, "places", [place(i, "d1") for i in range(2)])
        conn.execute(t.places.insert(), [place(i, "d2") for i in range(2)])
    with store.engine.connect() as conn:
        def mine(table, column):
            return [r for r in _rows(conn, table) if r[list(table.c.keys()).index(column)] == "d1"]

        def theirs(table, column):
            return [r for r in _rows(conn, table) if r[list(table.c.keys()).index(column)] == "d2"]

        fast, plain = mine(t.events, "doc_id"), theirs(t.events, "doc_id")
        assert len(fast) == 3
        strip = [i for i, k in enumerate(t.events.c.keys()) if k not in ("id", "doc_id")]
        assert [[r[i] for i in strip] for r in fast] == [[r[i] for i in strip] for r in plain]
        assert [type(r[i]) for r in fast for i in strip] == [type(r[i]) for r in plain for i in strip]
        fast, plain = mine(t.places, "doc_id"), theirs(t.places, "doc_id")
        strip = [i for i, k in enumerate(t.places.c.keys()) if k not in ("id", "doc_id")]
        assert len(fast) == 2
        assert [[r[i] for i in strip] for r in fast] == [[r[i] for i in strip] for r in plain]
        assert [type(r[i]) for r in fast for i in strip] == [type(r[i]) for r in plain for i in strip]
    store.close()
