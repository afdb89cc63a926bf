"""The analyst views over a real store: timeline, relations over time, network, overview, brief, and their
commands; on articles written here and on the shared seeds."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from tests.conftest import SHARED, sqlite_only, store_url

ARTICLES = {
    "pact.txt": ("2017-03-06", """Iraq and Iran discuss border security

Iraqi Prime Minister Haider al-Abadi met Iranian President Hassan Rouhani in Baghdad on Friday for border talks.

The Iraqi Army attacked Islamic State positions near Mosul on 5 March 2017.

Iran sent humanitarian aid to Iraq in April 2017.
"""),
    "tension.txt": ("2018-06-11", """Tensions rise between Iraq and Iran

Iraq accused Iran of interfering in its elections on Sunday.

The Iraqi Army attacked Islamic State fighters in Anbar on 10 June 2018.
"""),
}


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    url = store_url(folder, "analysis")
    for name, (published, text) in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
        result = run("ingest", str(folder / name), "--db", url, "--published", published, "--quiet")
        assert result.exit_code == 0, result.output
    return url


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    url = store_url(tmp_path_factory.mktemp("seeds"), "seeds")
    result = run("ingest", str(SHARED / "data" / "seeds"), "--db", url, "--quiet")
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture()
def conn_of():
    from newsgraph.store.db import Store

    stores = []

    def open_(url):
        store = Store(url)
        stores.append(store)
        return store.engine.connect()

    yield open_
    for s in stores:
        s.close()


# ---------------------------------------------------------------- timeline


def test_timeline_is_chronological_with_role_counterpart_and_source(db, conn_of):
    from newsgraph.query.timeline import timeline

    items = timeline(conn_of(db), "Iraqi Army")
    assert [i["type"] for i in items] == ["ASSAULT", "ASSAULT"]
    assert [i["date"] for i in items] == ["2017-03-05", "2018-06-10"]
    first = items[0]
    assert first["role"] == "source" and first["counterpart"]["id"] == "ISIS"
    assert first["quad"] == 4 and first["doc"]["key"] == "pact.txt" and "Mosul" in first["sentence"]
    json.dumps(items)  # records are JSON-serialisable


def test_timeline_with_another_actor_and_dates_keeps_only_their_events(db, conn_of):
    from newsgraph.query.timeline import timeline

    conn = conn_of(db)
    both = timeline(conn, "Iran", with_actor="Iraq")
    assert {i["type"] for i in both} == {"AID", "ACCUSE"}
    aid = next(i for i in both if i["type"] == "AID")
    assert aid["role"] == "source" and aid["counterpart"]["name"] == "Iraq"
    assert [i["type"] for i in timeline(conn, "Iran", with_actor="Iraq", date_from="2018")] == ["ACCUSE"]


def test_unknown_actor_is_a_clear_error_not_a_traceback(db, conn_of):
    from newsgraph.query.timeline import UnknownActor, timeline

    with pytest.raises(UnknownActor, match="no actor named 'Nobody'"):
        timeline(conn_of(db), "Nobody")
    result = run("timeline", "Nobody", "--db", db)
    assert result.exit_code != 0 and "no actor named 'Nobody'" in result.output


def test_ambiguous_name_lists_candidates(db, conn_of):
    from newsgraph.query.timeline import AmbiguousActor, resolve_actor
    from newsgraph.store.db import Store

    store = Store(db)
    store.alias_actor("Iran", "the neighbour")
    store.alias_actor("Iraqi Army", "the neighbour")
    store.close()
    with pytest.raises(AmbiguousActor) as err:
        resolve_actor(conn_of(db), "the neighbour")
    assert {c["id"] for c in err.value.candidates} == {"IRN", "IRQ_ARMY"}


# ---------------------------------------------------------------- relations


def test_relation_series_counts_both_directions_and_leaders_with_a_score(db, conn_of):
    from newsgraph.query.relations import relation_series

    r = relation_series(conn_of(db), "Iraq", "Iran")
    by = {p["period"]: p for p in r["periods"]}
    assert set(by) == {"2017", "2018"}
    assert by["2017"]["counts"] == {"AID": 1, "CONSULT": 1}  # Abadi meets Rouhani: both countries' leaders
    assert by["2017"]["quads"] == {"1": 1, "2": 1, "3": 0, "4": 0} and by["2017"]["score"] == pytest.approx(0.75)
    assert by["2018"]["counts"] == {"ACCUSE": 1} and by["2018"]["score"] == pytest.approx(-0.5)
    consult = next(i for i in by["2017"]["items"] if i["type"] == "CONSULT")
    assert consult["a_via"]["id"] == "ABADI" and consult["b_via"]["id"] == "ROUHANI"
    assert r["total"] == 3
    monthly = relation_series(conn_of(db), "Iran", "Iraq", period="month")
    assert [p["period"] for p in monthly["periods"]] == ["2017-03", "2017-04", "2018-06"]


def test_relations_on_the_seeds_show_2016_cooperation_and_the_2024_change(seeds, conn_of):
    from newsgraph.query.relations import relation_series

    r = relation_series(conn_of(seeds), "PMU", "Syrian government")
    assert r["a"]["id"] == "PMU" and r["b"]["id"] == "SYR_GOV"
    by = {p["period"]: p for p in r["periods"]}
    assert by["2016"]["score"] > 0.5
    assert {"COOPERATE", "SUPPORT"} <= set(by["2016"]["counts"])
    # the Assad government ends in December 2024; its successor and the group its leader leads are followed
    b_ids = {m["id"]: m for m in r["sides"]["b"]}
    assert b_ids["SYR_NEW"]["from"] == "2024-12-08" and "successor" in b_ids["SYR_NEW"]["via"]
    assert any("ends 2024-12-08" in n["text"] for n in r["notes"])
    assert by["2024"]["counts"] == {} and by["2024"]["score"] is None
    context = by["2024"]["context"]
    assert [c["type"] for c in context] == ["MOBILIZE"]
    assert "HTS" in context[0]["sentence"] and context[0]["b_via"]["id"] in {"HTS", "SYR_NEW", "SHARAA"}


def test_relations_list_a_few_events_a_period_but_count_and_score_them_all(seeds, conn_of):
    from newsgraph.query.relations import relation_series

    whole = relation_series(conn_of(seeds), "PMU", "Syrian government", evidence=None)
    few = relation_series(conn_of(seeds), "PMU", "Syrian government", evidence=1)
    assert (few["total"], few["score"]) == (whole["total"], whole["score"])
    assert any(len(p["items"]) > 1 for p in whole["periods"])
    for w, f in zip(whole["periods"], few["periods"], strict=True):
        assert {k: f[k] for k in ("period", "counts", "quads", "score", "events", "context_counts")} == \
            {k: w[k] for k in ("period", "counts", "quads", "score", "events", "context_counts")}
        assert f["items"] == w["items"][:1] and f["context"] == w["context"][:1]
        assert (f["more_items"], f["more_context"]) == (len(w["items"]) - len(f["items"]),
                                                        len(w["context"]) - len(f["context"]))
        assert w["more_items"] == w["more_context"] == 0
    out = run("relations", "PMU", "Syrian government", "--db", seeds, "--evidence", "1").output
    more = sum(p["more_items"] for p in few["periods"])
    assert more > 0 and all(f"and {p['more_items']} more direct" in out for p in few["periods"] if p["more_items"])
    assert out.count("\n        — ") == sum(len(p["items"]) + len(p["context"]) for p in few["periods"])


@sqlite_only
def test_the_naming_query_filters_by_its_clusters_rather_than_probing_an_index_with_them(seeds):
    """Probing (doc, start, cluster) once per cluster of a long list for every sentence that names Syria took
    26 s at 54,000 events on a store without statistics; the clusters must be a filter."""
    from sqlalchemy import create_engine
    from sqlalchemy.dialects import postgresql

    from newsgraph.query.timeline import naming_spans, participating

    engine = create_engine(seeds)
    stmt = naming_spans({"SYR", "SYR_GOV"}, participating({"PMU", "IRN"}))
    sql = str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))
    assert "+events.cluster_id IN" in sql
    with engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
        assert conn.exec_driver_sql(sql).all()  # the seeds do name Syria in sentences of PMU and Iran events
    engine.dispose()
    assert not any("cluster_id=?" in step for step in plan if "ix_events_doc_start" in step), plan
    postgres = str(stmt.compile(dialect=postgresql.dialect()))
    assert "+events" not in postgres and "events.cluster_id IN" in postgres


def test_relations_command_prints_the_change_before_the_period_it_affects(seeds):
    result = run("relations", "PMU", "Syrian government", "--db", seeds)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("ends 2024-12-08") < out.index("\n2024 ") and out.index("\n2016 ") < out.index("ends 2024")
    as_json = json.loads(run("relations", "PMU", "Syrian government", "--db", seeds, "--json").output)
    assert as_json["b"]["name"].startswith("Syrian government")


def test_relations_refuse_a_bad_period_and_one_actor_twice(db, conn_of):
    from newsgraph.query.relations import RelationQueryError, relation_series

    with pytest.raises(RelationQueryError, match="year"):
        relation_series(conn_of(db), "Iraq", "Iran", period="week")
    with pytest.raises(RelationQueryError, match="same actor"):
        relation_series(conn_of(db), "Iraq", "IRQ")


# ---------------------------------------------------------------- network


def test_network_edges_aggregate_events_with_types_score_and_dates(db, conn_of):
    from newsgraph.query.network import network, network_json

    g = network(conn_of(db))
    edge = g.edges["IRQ_ARMY", "ISIS"]
    assert edge["weight"] == 2 and edge["types"] == {"ASSAULT": 2} and edge["score"] == -1.0
    assert edge["first"] == "2017-03-05" and edge["last"] == "2018-06-10"
    assert g.nodes["IRQ_ARMY"]["name"] == "Iraqi Army" and g.nodes["IRQ_ARMY"]["events"] == 2
    assert ("IRQ_ARMY", "ISIS") in {(e["source"], e["target"]) for e in network_json(g)["edges"]}
    assert set(network(conn_of(db), min_events=2).edges) == {("IRQ_ARMY", "ISIS")}
    assert set(network(conn_of(db), date_from="2018").nodes) >= {"IRQ_ARMY", "ISIS"}
    assert "IRN" not in network(conn_of(db), actor="Islamic State")


def test_network_writes_graphml_and_gexf_that_read_back(db, tmp_path):
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"n.{fmt}"
        assert run("network", "--format", fmt, "-o", str(out), "--db", db).exit_code == 0
        g = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
        assert g.number_of_edges() >= 3
        data = next(d for a, b, d in g.edges(data=True) if {a, b} == {"IRQ_ARMY", "ISIS"})
        assert json.loads(data["types"]) == {"ASSAULT": 2}
    doc = json.loads(run("network", "--format", "json", "--db", db).output)
    assert {"nodes", "edges"} <= set(doc)


# ---------------------------------------------------------------- overview


def test_overview_counts_months_by_quad_and_latest_first(db, conn_of):
    from newsgraph.query.overview import overview

    o = overview(conn_of(db))
    assert o["counts"]["documents"] == 2 and o["counts"]["events"] >= 5
    months = {m["month"]: m["quads"] for m in o["months"]}
    assert months["2017-03"]["4"] == 1 and months["2017-04"]["2"] == 1 and months["2018-06"]["4"] == 1
    assert months["2017-05"] == {"1": 0, "2": 0, "3": 0, "4": 0}  # gaps listed for charts
    assert o["latest_events"][0]["date"] == "2018-06-10"
    assert o["top_actors"] and len(o["top_actors"]) <= 15
    json.dumps(o)


# ---------------------------------------------------------------- brief


def test_brief_on_the_seeds_cites_both_articles_that_mention_hamid_al_shatri(seeds):
    result = run("brief", "Hamid al-Shatri", "--format", "md", "--db", seeds)
    assert result.exit_code == 0, result.output
    md = result.output
    sources = md.split("## Sources", 1)[1]
    assert "001_1d9155b9da229379.txt" in sources and "004_397e636f058b1fc8.txt" in sources
    assert "[1]" in md.split("## Sources")[0] and "[2]" in md.split("## Sources")[0]
    assert "Iraqi National Intelligence Service" in md


def test_brief_html_is_escaped_and_self_contained(seeds, conn_of):
    from newsgraph.interfaces.brief import render_brief
    from newsgraph.query.brief import brief

    record = brief(conn_of(seeds), "Hamid al-Shatri")
    record["actor"]["aliases"].append("<script>alert(1)</script>")
    page = render_brief(record, "html")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http" not in page.split("<body>")[0]  # no external stylesheet or script
    assert page.startswith("<!DOCTYPE html>") and "[1]" in page


def test_brief_lists_partners_over_time(db, conn_of):
    from newsgraph.query.brief import brief

    r = brief(conn_of(db), "Iraqi Army")
    partner = r["relations"][0]
    assert partner["partner"]["id"] == "ISIS" and partner["events"] == 2
    assert [y["period"] for y in partner["years"]] == ["2017", "2018"]
    assert all(e["cites"] for e in r["key_events"])
