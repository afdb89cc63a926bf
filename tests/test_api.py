"""The Python API: newsgraph.open(db) returns records and DataFrames from the same query layer as the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

import newsgraph
from newsgraph.cli import main
from tests.conftest import store_url

TEXT = """Iraq and Iran discuss border security

Iraqi Prime Minister Haider al-Abadi met Iranian President Hassan Rouhani in Baghdad on Friday for border talks.

The Iraqi Army attacked Islamic State positions near Mosul on 5 March 2017.

Iran sent humanitarian aid to Iraq in April 2017.
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    db = store_url(folder, "api")
    assert CliRunner().invoke(main, ["ingest", str(folder), "--db", db, "--published", "2017-03-06",
                                     "--quiet"]).exit_code == 0
    with newsgraph.open(db) as g:
        yield g


def test_import_newsgraph_loads_neither_spacy_nor_the_store():
    code = "import sys, newsgraph; print(any(m.split('.')[0] in ('spacy', 'sqlalchemy') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_records_match_the_query_layer(graph):
    from newsgraph.query.events import find_events

    with graph.store.engine.connect() as conn:
        assert graph.events(actor="Iran") == find_events(conn, actor="Iran")
    names = [a["name"] for a in graph.actors(n=5)]
    assert "Iraq" in names and len(names) <= 5
    assert [i["type"] for i in graph.timeline("Iraqi Army")] == ["ASSAULT"]
    assert graph.relations("Iraq", "Iran")["periods"][0]["period"] == "2017"
    assert graph.network().has_edge("IRQ_ARMY", "ISIS")
    assert graph.search("humanitarian")[0]["snippet"].count("[humanitarian]") == 1
    assert graph.brief("Iraqi Army").startswith("# Brief: Iraqi Army")
    assert graph.actor("IRQ_ARMY")["name"] == "Iraqi Army"


def test_as_frame_gives_dataframes(graph):
    pd = pytest.importorskip("pandas")
    events = graph.events(as_frame=True)
    assert isinstance(events, pd.DataFrame) and {"type", "date", "source.name"} <= set(events.columns)
    rel = graph.relations("Iraq", "Iran", by="month", as_frame=True)
    assert list(rel["period"]) == ["2017-03", "2017-04"] and list(rel["events"]) == [1, 1]
    edges = graph.network(as_frame=True)
    assert {"source", "target", "weight"} <= set(edges.columns)
    assert graph.timeline("Nobody" if False else "Iran", as_frame=True).shape[0] >= 1


def test_unknown_actor_raises_a_value_error_with_its_name(graph):
    with pytest.raises(ValueError, match="no actor named 'Nobody'"):
        graph.timeline("Nobody")
