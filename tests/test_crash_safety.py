"""Crash safety: an ingest SIGKILLed at random points and resumed with the same command ends with exactly
the store of an uninterrupted ingest: same documents, actors, events; no duplicates; the database intact.
Runs on SQLite files and, with NEWSGRAPH_TEST_BACKEND=postgresql, on PostgreSQL databases.
"""

from __future__ import annotations

import csv
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from tests.conftest import BACKEND, exported, store_url

from .conftest import SHARED

FAKES = SHARED / "data" / "corpora" / "fa-kes" / "FA-KES-Dataset.csv"
FAKES_MAP = "text=article_content,title=article_title,id=unit_id,published=date,outlet=source"
KILLS = 10 if BACKEND == "sqlite" else 6  # PostgreSQL: the suite's second pass, kept shorter
ROWS = 45  # with the seeds, enough that ten kills land before the end even when a batch stores fast


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    """The seed articles, ROWS FA-KES rows and one input that fails: the paths of one ingest command."""
    root = tmp_path_factory.mktemp("crash-corpus")
    with open(FAKES, newline="", encoding="utf-8") as src, open(root / "fakes.csv", "w", newline="") as out:
        rows = csv.reader(src)
        csv.writer(out).writerows(next(rows) for _ in range(ROWS + 1))
    (root / "bad").mkdir()
    (root / "bad" / "empty.txt").write_bytes(b"")
    return [str(SHARED / "data" / "seeds"), str(root / "fakes.csv"), str(root / "bad")]


def ingest_command(paths: list[str], db: str) -> list[str]:
    return [sys.executable, "-c", "from newsgraph.cli import main; main()", "ingest", *paths,
            "--map", FAKES_MAP, "--db", str(db), "--quiet"]


_ENGINES: dict[str, Engine] = {}


def stored(db: str) -> int:
    """Documents committed so far, read as another process would (0 before the store exists)."""
    if db.startswith("sqlite:///"):
        path = Path(db.removeprefix("sqlite:///"))
        if not path.exists():
            return 0
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
                return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.OperationalError:  # the tables are not created yet
            return 0
    engine = _ENGINES.get(db) or _ENGINES.setdefault(db, create_engine(db, poolclass=NullPool))  # no idle links
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM documents")).scalar_one()
    except Exception:  # noqa: BLE001 - the tables are not created yet
        return 0


def kill_while_writing(cmd: list[str], db: str, rng: random.Random) -> tuple[bool, int]:
    """Start the ingest, SIGKILL it a random moment after it commits a document of its own; whether it
    was killed (not already finished) and how many documents it had stored by then."""
    before = stored(db)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    deadline = time.monotonic() + 120
    while proc.poll() is None and stored(db) <= before and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(rng.uniform(0, 0.02))
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return killed and proc.returncode == -signal.SIGKILL, stored(db)


def raw_rows(db: str) -> dict[str, list[tuple]]:
    """Tables the export leaves out, without their row ids and times."""
    queries = {
        "aliases": "SELECT entity_id, alias, norm, origin, skel FROM aliases",
        "document_keys": "SELECT doc_id, key, source FROM document_keys",
        "mentions": 'SELECT doc_id, entity_id, text, start, "end", label, sentence FROM mentions',
        "sentences": "SELECT doc_id, idx, start, \"end\", text FROM sentences",
        "failures": "SELECT key, source, reason FROM failures",
    }
    engine = create_engine(db)
    with engine.connect() as conn:
        rows = {name: sorted(tuple(r) for r in conn.execute(text(sql))) for name, sql in queries.items()}
    engine.dispose()
    return rows


def test_ingest_killed_repeatedly_and_resumed_equals_an_uninterrupted_ingest(corpus, tmp_path):
    reference = store_url(tmp_path, "reference")
    done = subprocess.run(ingest_command(corpus, reference), capture_output=True, text=True, timeout=600,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr
    total = stored(reference)
    assert total == 5 + ROWS

    db = store_url(tmp_path, "crashed")
    cmd = ingest_command(corpus, db)
    rng = random.Random(int(os.environ.get("NEWSGRAPH_CRASH_SEED", "8")))
    kills, progress = 0, []
    while kills < KILLS:
        killed, count = kill_while_writing(cmd, db, rng)
        kills += killed
        progress.append(count)
        assert count < total or kills == KILLS, f"ran to the end after {kills} kills: {progress}"
    final = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env={**os.environ,
                                                                                 "OMP_NUM_THREADS": "1"})
    assert final.returncode == 0, final.stderr
    assert "failed 1" in final.stdout and f"unchanged {progress[-1]}" in final.stdout, final.stdout
    print(f"kills survived: {kills}; documents stored when each was killed: {progress}")

    assert exported(db, tmp_path / "crashed") == exported(reference, tmp_path / "reference")
    assert raw_rows(db) == raw_rows(reference)
    if BACKEND == "sqlite":
        with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    engine = create_engine(db)
    with engine.connect() as conn:
        def count(sql: str) -> int:
            return conn.execute(text(sql)).scalar_one()

        assert count("SELECT count(*) FROM documents") == total  # none lost
        assert count("SELECT count(*) - count(DISTINCT sha256) FROM documents") == 0
        assert count('SELECT count(*) FROM (SELECT DISTINCT doc_id, start, "end", entity_id FROM mentions) m') == \
            count("SELECT count(*) FROM mentions")
        assert count("SELECT count(*) FROM failures") == 1  # listed once, not per run
        assert count("SELECT count(*) FROM events e LEFT JOIN documents d ON d.id = e.doc_id WHERE d.id IS NULL") == 0
    engine.dispose()
