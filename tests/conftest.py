"""Shared fixtures: the real spaCy pipeline and gazetteer, loaded once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def extractor():
    from newsgraph.extract.pipeline import Extractor

    return Extractor()


@pytest.fixture()
def store(tmp_path):
    from newsgraph.store.db import Store

    s = Store(f"sqlite:///{tmp_path}/test.db")
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
def seeds_db(tmp_path_factory) -> Path:
    """A store of the shared seed articles, ingested once per session: the SQLite file's path."""
    from click.testing import CliRunner

    from newsgraph.cli import main

    path = tmp_path_factory.mktemp("seeds-store") / "seeds.db"
    result = CliRunner().invoke(main, ["ingest", str(SHARED / "data" / "seeds"), "--db", str(path), "--quiet"])
    assert result.exit_code == 0, result.output
    return path
