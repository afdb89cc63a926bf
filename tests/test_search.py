"""Full-text search over sentences: ranked, matches marked, in step with new documents, clear errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from tests.conftest import downgrade, store_url
from tests.pg import fresh_database

TEXTS = {
    "one.txt": "Militias deployed to the border\n\nThe Popular Mobilization Units deployed fighters to the Syrian "
               "border on Monday. Officials in Baghdad said the deployment was temporary.\n",
    "two.txt": "Talks in Damascus\n\nHamid al-Shatri met officials in Damascus on Tuesday. The border was not "
               "discussed, officials said, although the border crossing at Al Qaim remains closed and the border "
               "guards are on alert along the border.\n",
}


def ingest(folder, url, *names):
    for name in names:
        (folder / name).write_text(TEXTS[name], encoding="utf-8")
        result = CliRunner().invoke(main, ["ingest", str(folder / name), "--db", url, "--quiet",
                                           "--published", "2024-12-20"])
        assert result.exit_code == 0, result.output


@pytest.fixture()
def url(tmp_path):
    return store_url(tmp_path, "search")


def search(url, text, **kw):
    from newsgraph.query.search import search as run
    from newsgraph.store.db import Store

    store = Store(url)
    try:
        with store.engine.connect() as conn:
            return run(conn, text, **kw)
    finally:
        store.close()


def test_new_documents_are_searchable_as_soon_as_they_are_stored(tmp_path, url):
    ingest(tmp_path, url, "one.txt")
    assert search(url, "Damascus") == []
    ingest(tmp_path, url, "two.txt")
    hits = search(url, "Damascus")
    assert hits and hits[0]["doc"]["key"] == "two.txt" and "[Damascus]" in hits[0]["snippet"]


def test_plain_words_match_any_word_form_and_rank_denser_sentences_first(tmp_path, url):
    ingest(tmp_path, url, "one.txt", "two.txt")
    hits = search(url, "border")
    assert len(hits) == 3  # the headline, the lead of one.txt, the sentence of two.txt
    assert hits[0]["doc"]["key"] == "two.txt"  # four mentions of the border outrank one
    assert hits[0]["rank"] > hits[1]["rank"] >= hits[2]["rank"]
    deploy = search(url, "deploy")  # the stemmer joins 'deployed' and 'deploy'
    assert {h["doc"]["key"] for h in deploy} == {"one.txt"}
    s = next(h for h in deploy if "fighters" in h["sentence"])
    start, end = s["marks"][0]
    assert s["sentence"][start:end] == "deployed"


def test_a_hyphenated_name_is_one_phrase_and_limit_is_kept(tmp_path, url):
    ingest(tmp_path, url, "one.txt", "two.txt")
    hits = search(url, "al-Shatri")
    assert len(hits) == 1 and "[al-Shatri]" in hits[0]["snippet"]
    assert len(search(url, "border OR Damascus", limit=1)) == 1


def test_bad_query_syntax_is_a_clear_error_where_the_engine_has_one(tmp_path, url):
    from newsgraph.query.search import SearchError

    ingest(tmp_path, url, "one.txt")
    if not url.startswith("sqlite"):  # PostgreSQL's web-search syntax reads any text: no syntax errors
        assert search(url, "border AND (")[0]["doc"]["key"] == "one.txt"
        return
    with pytest.raises(SearchError, match="cannot search"):
        search(url, "border AND (")
    result = CliRunner().invoke(main, ["search", "border AND (", "--db", url])
    assert result.exit_code == 1 and "Error: cannot search" in result.output and "Traceback" not in result.output
    with pytest.raises(SearchError, match="nothing to search"):
        search(url, "   ")


def test_migration_backfills_sentences_stored_before_it(tmp_path, url):


    ingest(tmp_path, url, "one.txt")
    downgrade(url, "0005")
    assert search(url, "Baghdad")[0]["doc"]["key"] == "one.txt"  # opening upgrades and indexes old sentences


def test_search_command_prints_ranked_snippets(tmp_path, url):
    ingest(tmp_path, url, "one.txt", "two.txt")
    result = CliRunner().invoke(main, ["search", "Syrian border", "--db", url])
    assert result.exit_code == 0
    assert "one.txt" in result.output and "[Syrian] [border]" in result.output


@pytest.fixture()
def pg_url():
    yield from fresh_database()


def test_postgresql_full_text_search_ranks_and_marks(tmp_path, pg_url):
    PG_URL = pg_url  # noqa: N806 - a fresh database for this test
    ingest(tmp_path, PG_URL, "one.txt", "two.txt")
    hits = search(PG_URL, "border")
    assert hits[0]["doc"]["key"] == "two.txt" and hits[0]["rank"] > hits[-1]["rank"]
    deploy = search(PG_URL, "deploy")
    assert {h["doc"]["key"] for h in deploy} == {"one.txt"}
    assert any("[deployed]" in h["snippet"] for h in deploy)
    assert search(PG_URL, '"Syrian border"')[0]["doc"]["key"] == "one.txt"
