"""The store on a real PostgreSQL server: the same tables as SQLite, and concurrent writers without duplicates.

Runs on the server named by NEWSGRAPH_TEST_PG (see tests/pg.py).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from newsgraph.cli import main
from tests.conftest import EXAMPLES, SHARED, exported
from tests.pg import fresh_database

SEEDS = SHARED / "data" / "seeds"


@pytest.fixture()
def pg_url():
    """A fresh, empty database for one test, dropped afterwards."""
    yield from fresh_database()


def test_postgresql_stores_the_same_tables_as_sqlite(pg_url, tmp_path):
    runner = CliRunner()
    for db in (pg_url, str(tmp_path / "s.db")):
        result = runner.invoke(main, ["ingest", str(SEEDS), str(EXAMPLES), "--quiet", "--db", db])
        assert result.exit_code == 0 and "added 10" in result.output, result.output
    assert exported(pg_url, tmp_path / "pg") == exported(str(tmp_path / "s.db"), tmp_path / "sqlite")


def test_concurrent_writers_into_one_postgresql_store_leave_no_duplicates(pg_url, tmp_path):
    CliRunner().invoke(main, ["stats", "--db", pg_url])  # migrate once before the race
    cmd = [sys.executable, "-c", "from newsgraph.cli import main; main()",
           "ingest", str(SEEDS), str(EXAMPLES), "--quiet", "--db", pg_url]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
             for _ in range(3)]
    outputs = [p.communicate(timeout=600)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert all("failed 0" in out for out in outputs), outputs
    added = sum(int(out.split("added ")[1].split(",")[0]) for out in outputs)
    assert added == 10  # each document stored by exactly one writer
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM documents")) == 10
        assert conn.scalar(text("SELECT count(*) - count(DISTINCT sha256) FROM documents")) == 0
        assert conn.scalar(text("SELECT count(*) - count(DISTINCT (doc_id, start, \"end\")) FROM mentions")) == 0
        assert conn.scalar(text("SELECT count(*) FROM (SELECT cluster_id FROM events GROUP BY cluster_id "
                                "HAVING sum(CASE WHEN main THEN 1 ELSE 0 END) <> 1) AS c")) == 0  # one main each
    engine.dispose()
