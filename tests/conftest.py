"""Shared fixtures: the real spaCy pipeline and gazetteer, loaded once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")

BACKEND = os.environ.get("NEWSGRAPH_TEST_BACKEND", "sqlite").strip().lower()
if BACKEND not in ("sqlite", "postgresql"):
    raise ValueError(f"NEWSGRAPH_TEST_BACKEND must be sqlite or postgresql, not {BACKEND!r}")
sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="about the SQLite file itself")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


def store_url(folder: Path, name: str = "test") -> str:
    """A new, empty store for a test: a SQLite file in folder, or a fresh database on the PostgreSQL server
    NEWSGRAPH_TEST_PG names when NEWSGRAPH_TEST_BACKEND=postgresql (dropped when the session ends)."""
    if BACKEND == "postgresql":
        from tests.pg import create_database

        return create_database()
    return f"sqlite:///{folder}/{name}.db"


def exported(db: str | Path, out: Path) -> dict[str, list[str]]:
    """The six public tables as `newsgraph export` writes them, each row as sorted-key JSON without its
    ingest time, rows sorted: two stores hold the same facts when these are equal."""
    import json

    from click.testing import CliRunner

    from newsgraph.cli import main
    from newsgraph.query.tables import TABLES

    result = CliRunner().invoke(main, ["export", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    tables = {}
    for name in TABLES:
        rows = []
        for line in (out / f"{name}.jsonl").read_text().splitlines():
            row = json.loads(line)
            row.pop("ingested_at", None)
            rows.append(json.dumps(row, sort_keys=True))
        tables[name] = sorted(rows)
    return tables


def downgrade(url: str, revision: str) -> None:
    """Take a store back to an older migration, as an older newsgraph left it."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from newsgraph.store.db import MIGRATIONS

    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    engine.dispose()


@pytest.fixture(scope="module")
def site():
    """The live-source tests' news site on 127.0.0.1 (tests/live_site.py), one per test module."""
    from tests.live_site import LiveSite

    with LiveSite() as running:
        yield running


@pytest.fixture()
def fresh(site):
    """The site as first served: the full feed, no outage, an empty request log."""
    site.reset()
    return site


def pytest_sessionfinish(session, exitstatus) -> None:
    from tests.pg import drop_created

    drop_created()


def pytest_report_header(config) -> str:
    return f"newsgraph test stores: {BACKEND}"


@pytest.fixture(scope="session")
def extractor():
    from newsgraph.extract.pipeline import Extractor

    return Extractor()


@pytest.fixture()
def store(tmp_path):
    from newsgraph.store.db import Store

    s = Store(store_url(tmp_path))
    yield s
    s.close()


@pytest.fixture()
def extract_text(extractor):
    """Extraction of one ad-hoc article text with an optional publication date."""
    from newsgraph.model import Document
    from newsgraph.store.db import content_hash

    def run(text: str, published: str | None = "2024-12-27"):
        doc = Document(key="t.txt", source="t.txt", text=text, published=published,
                       published_from="user" if published else None, sha256=content_hash(text))
        return extractor.extract(doc)

    return run


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> str:
    """A store of the shared seed articles, ingested once per session: its URL."""
    from click.testing import CliRunner

    from newsgraph.cli import main

    url = store_url(tmp_path_factory.mktemp("seeds-store"), "seeds")
    result = CliRunner().invoke(main, ["ingest", str(SHARED / "data" / "seeds"), "--db", url, "--quiet"])
    assert result.exit_code == 0, result.output
    return url
