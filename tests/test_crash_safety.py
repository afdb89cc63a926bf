"""Crash safety: an ingest SIGKILLed at random points and resumed with the same command ends with exactly
the store of an uninterrupted ingest: same documents, actors, events; no duplicates; SQLite intact.
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

from tests.conftest import exported, sqlite_only

from .conftest import SHARED

pytestmark = sqlite_only  # SQLite's own integrity check and file lock; PostgreSQL writers: test_postgres

FAKES = SHARED / "data" / "corpora" / "fa-kes" / "FA-KES-Dataset.csv"
FAKES_MAP = "text=article_content,title=article_title,id=unit_id,published=date,outlet=source"
KILLS = 10
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


def ingest_command(paths: list[str], db: Path) -> list[str]:
    return [sys.executable, "-c", "from newsgraph.cli import main; main()", "ingest", *paths,
            "--map", FAKES_MAP, "--db", str(db), "--quiet"]


def stored(db: Path) -> int:
    """Documents committed so far, read as another process would (0 before the store exists)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # the tables are not created yet
        return 0


def kill_while_writing(cmd: list[str], db: Path, rng: random.Random) -> tuple[bool, int]:
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


def raw_rows(db: Path) -> dict[str, list[tuple]]:
    """Tables the export leaves out, without their row ids and times."""
    queries = {
        "aliases": "SELECT entity_id, alias, norm, origin, skel FROM aliases",
        "document_keys": "SELECT doc_id, key, source FROM document_keys",
        "mentions": 'SELECT doc_id, entity_id, text, start, "end", label, sentence FROM mentions',
        "sentences": "SELECT doc_id, idx, start, \"end\", text FROM sentences",
        "failures": "SELECT key, source, reason FROM failures",
    }
    with sqlite3.connect(db) as conn:
        return {name: sorted(conn.execute(sql).fetchall()) for name, sql in queries.items()}


def test_ingest_killed_ten_times_and_resumed_equals_an_uninterrupted_ingest(corpus, tmp_path):
    reference = tmp_path / "reference.db"
    done = subprocess.run(ingest_command(corpus, reference), capture_output=True, text=True, timeout=600,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr
    total = stored(reference)
    assert total == 5 + ROWS

    db = tmp_path / "crashed.db"
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
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == total  # none lost
        assert conn.execute("SELECT count(*) - count(DISTINCT sha256) FROM documents").fetchone()[0] == 0
        assert conn.execute('SELECT count(*) FROM (SELECT DISTINCT doc_id, start, "end", entity_id '
                            "FROM mentions)").fetchone()[0] == conn.execute(
            "SELECT count(*) FROM mentions").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM failures").fetchone()[0] == 1  # listed once, not per run
