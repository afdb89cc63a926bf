"""The command line end to end: ingest, stats, export, eval, each with --db."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from tests.conftest import EXAMPLES, SHARED, store_url


@pytest.fixture()
def db(tmp_path):
    return store_url(tmp_path, "cli")


def run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def test_every_command_has_help():
    for command in ("ingest", "stats", "export", "eval"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "--db" in result.output


def test_ingest_prints_a_summary_and_stats_counts_it(db):
    result = run("ingest", str(EXAMPLES), "--db", db, "--quiet")
    assert result.exit_code == 0
    assert "read 5: added 5, duplicates 0, unchanged 0, failed 0" in result.output
    again = run("ingest", str(EXAMPLES), "--db", db, "--quiet")
    assert "added 0, duplicates 0, unchanged 5" in again.output
    stats = run("stats", "--db", db)
    assert "documents        5" in stats.output


def test_unknown_mapping_field_is_refused_before_reading(db):
    result = CliRunner().invoke(main, ["ingest", str(EXAMPLES), "--map", "body=text", "--db", db])
    assert result.exit_code == 2 and "unknown field" in result.output


def test_eval_scores_the_seeds_and_prints_every_figure(db, tmp_path):
    seeds, gold = SHARED / "data" / "seeds", SHARED / "data" / "gold" / "seeds.gold.json"
    if not gold.exists():
        pytest.skip("shared data not present")
    assert run("ingest", str(seeds), "--db", db, "--quiet").exit_code == 0
    assert run("export", str(tmp_path / "out"), "--db", db).exit_code == 0
    assert (tmp_path / "out" / "events.jsonl").stat().st_size > 0
    text = run("eval", str(gold), "--db", db).output
    for label in ("event recall", "event precision", "event date accuracy", "timex accuracy", "place accuracy",
                  "relation recall", "entity recall", "cross-document consistency"):
        assert label in text
    figures = json.loads(run("eval", str(gold), "--db", db, "--json").output)["metrics"]
    assert figures["documents"]["num"] == 5
    assert figures["entity_recall"]["value"] >= 0.9


def test_publication_dates_of_dated_seeds_come_from_their_text(db, tmp_path):
    seeds = SHARED / "data" / "seeds"
    if not seeds.exists():
        pytest.skip("shared data not present")
    run("ingest", str(seeds), "--db", db, "--quiet")
    run("export", str(tmp_path / "o"), "--db", db)
    docs = {json.loads(x)["key"]: json.loads(x) for x in (tmp_path / "o" / "documents.jsonl").read_text().splitlines()}
    want = {"000": "2016-12-14", "001": "2024-12-27", "002": "2016-02-25", "003": "2016-10-30"}
    for key, doc in docs.items():
        if key[:3] in want:
            assert (doc["published"], doc["published_from"]) == (want[key[:3]], "text")
        else:
            assert doc["published"] is None


def test_actor_profile_lists_partners_and_events_by_year(tmp_path):
    from tests.conftest import SHARED

    db = store_url(tmp_path, "s")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(SHARED / "data" / "seeds"), "--quiet", "--db", db]).exit_code == 0
    result = runner.invoke(main, ["actor", "Hashd al-Shaabi", "--db", db])
    assert result.exit_code == 0, result.output
    assert "partners: " in result.output and "Syrian government (Assad)" in result.output
    assert "    2016: " in result.output and "    2024: " in result.output
