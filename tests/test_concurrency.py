"""Concurrency on one SQLite file: readers (the query layer and the running web app) see committed work
while an ingest writes (WAL), and a second ingest stops with a clear message or waits, never corrupts.
"""

from __future__ import annotations

import csv
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import sqlite_only

from .conftest import SHARED

pytestmark = sqlite_only  # SQLite's own integrity check and file lock; PostgreSQL writers: test_postgres

FAKES = SHARED / "data" / "corpora" / "fa-kes" / "FA-KES-Dataset.csv"
FAKES_MAP = "text=article_content,title=article_title,id=unit_id,published=date,outlet=source"
ROWS = 25
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    root = tmp_path_factory.mktemp("concurrency-corpus")
    with open(FAKES, newline="", encoding="utf-8") as src, open(root / "fakes.csv", "w", newline="") as out:
        rows = csv.reader(src)
        csv.writer(out).writerows(next(rows) for _ in range(ROWS + 1))
    return [str(SHARED / "data" / "seeds"), str(root / "fakes.csv")]


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from newsgraph.cli import main; main()", *args]


def ingest(paths: list[str], db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(cli("ingest", *paths, "--map", FAKES_MAP, "--db", str(db), "--quiet", *extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


def holder(db: Path) -> str:
    lock = Path(f"{db}-ingest.lock")
    return lock.read_text() if lock.exists() else ""


def wait_until(condition, proc: subprocess.Popen, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"ingest ended before {what}: {proc.communicate()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_second_ingest_on_the_same_sqlite_file_stops_with_a_clear_message_or_waits(corpus, tmp_path):
    db = tmp_path / "busy.db"
    first = ingest(corpus, db)
    wait_until(lambda: holder(db).startswith(f"pid {first.pid},"), first, "the first ingest took the lock")
    second = subprocess.run(cli("ingest", *corpus, "--map", FAKES_MAP, "--db", str(db), "--quiet"),
                            capture_output=True, text=True, env=ENV, timeout=120)
    assert first.poll() is None, "the first ingest must still be running for this test to mean anything"
    assert second.returncode == 1
    assert f"Error: another ingest is writing to {db} (pid {first.pid}, since " in second.stderr
    assert "wait for it to finish, or run again with --wait to queue behind it" in second.stderr

    queued = ingest(corpus, db, "--wait")
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert f"added {5 + ROWS}," in out
    out, err = queued.communicate(timeout=600)
    assert queued.returncode == 0, err
    assert out.startswith(f"read {5 + ROWS}: added 0, duplicates 0, unchanged {5 + ROWS}, failed 0"), out
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*), count(DISTINCT sha256) FROM documents").fetchone() == (5 + ROWS,) * 2


def test_queries_and_the_web_app_read_while_an_ingest_writes(corpus, tmp_path):
    from newsgraph.query import stats
    from newsgraph.store.db import Store
    from newsgraph.web.app import readonly_engine

    db = tmp_path / "live.db"
    Store(str(db)).close()  # an empty store, so the web app can start before the first document
    port = free_port()
    server = subprocess.Popen(cli("serve", "--db", str(db), "--port", str(port)), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr
                time.sleep(0.1)

        writer = ingest(corpus, db)
        engine = readonly_engine(str(db))
        seen: list[int] = []
        pages = 0
        while writer.poll() is None:
            with engine.connect() as conn:  # the query layer, as the CLI and the web app use it
                counts = stats(conn)
                assert conn.execute(text("SELECT count(*) FROM documents WHERE id NOT IN "
                                         "(SELECT doc_id FROM sentences)")).scalar() == 0  # never half a document
            seen.append(counts["documents"])
            for path in ("/", "/events", "/actors"):
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    assert response.status == 200
                    pages += 1
        out, err = writer.communicate()
        engine.dispose()
        assert writer.returncode == 0, err
        assert seen == sorted(seen)  # readers only ever see more
        assert any(0 < n < 5 + ROWS for n in seen), f"no read saw a store half way through: {seen}"
        with urllib.request.urlopen(base + "/api/map", timeout=30) as response:
            assert response.status == 200
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 5 + ROWS
        print(f"reads during the ingest: {len(seen)} query-layer snapshots, {pages} web pages; "
              f"documents seen: {sorted(set(seen))}")
    finally:
        server.terminate()
        server.wait(timeout=30)
