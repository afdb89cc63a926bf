"""Feeds, URL lists and watch, end to end: a real HTTP server on 127.0.0.1 -> clean -> spaCy -> SQLite."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from newsgraph.engine import ingest
from newsgraph.engine.watch import parse_every, watch
from newsgraph.sources.feeds import looks_like_feed, parse_feed
from newsgraph.store import schema as t
from tests.conftest import store_url
from tests.live_articles import ARTICLES, OUTLET
from tests.live_site import closed_port, quick


def documents(store) -> dict[str, dict]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.documents)).mappings().all()
    return {row["key"]: dict(row) for row in rows}


def test_a_feed_of_20_items_ingests_20_documents_with_their_feed_dates(fresh, store, extractor):
    summary = ingest([fresh.url("/feed.xml")], store, extractor, fetch=quick())
    assert (summary.added, summary.failed, summary.unchanged) == (20, [], 0)
    docs = documents(store)
    assert len(docs) == 20
    for index, article in enumerate(ARTICLES):
        doc = docs[fresh.article_url(index)]
        assert doc["published"] == article["published"][:10]
        assert doc["published_from"] == "metadata"
        assert (doc["title"], doc["author"], doc["outlet"]) == (article["title"], article["author"], OUTLET)
        assert doc["url"] == fresh.article_url(index)
        assert article["paragraphs"][1][:60] in doc["text"]
        assert "Subscribe to our newsletter" not in doc["text"] and "More from the region" not in doc["text"]
    assert sorted(fresh.paths()) == sorted(["/robots.txt", "/feed.xml"] + [f"/news/{a['slug']}.html" for a in ARTICLES])
    assert summary.requests == 22
    with store.engine.connect() as conn:
        assert conn.scalar(select(t.events.c.id).limit(1)) is not None  # the articles were really extracted


def test_a_second_run_adds_nothing_and_fetches_no_unchanged_article(fresh, store, extractor):
    ingest([fresh.url("/feed.xml")], store, extractor, fetch=quick())
    fresh.reset()
    again = ingest([fresh.url("/feed.xml")], store, extractor, fetch=quick())
    assert (again.added, again.unchanged, again.failed, again.duplicates) == (0, 20, [], [])
    assert fresh.paths() == ["/feed.xml"]  # robots.txt from the cache, no article asked for
    assert fresh.requests()[0][1]["if-none-match"]  # asked conditionally...
    assert fresh.answers == [("/feed.xml", 304)]  # ...and answered without a body
    assert again.requests == 1
    assert store.count("documents") == 20


def test_only_new_and_updated_items_are_fetched(fresh, store, extractor):
    fresh.feed_count = 15
    assert ingest([fresh.url("/feed.xml")], store, extractor, fetch=quick()).added == 15
    fresh.feed_count = 20
    corrected = ARTICLES[3]
    fresh.stamps[corrected["slug"]] = "2025-03-01T10:00:00Z"  # the feed says it was updated...
    fresh.pages[corrected["slug"]] = fresh.page(corrected["slug"]).replace(
        "the war in Gaza ends", "the war in Gaza ends, Saree said in a televised statement")  # ...and it was
    touched = ARTICLES[4]
    fresh.stamps[touched["slug"]] = "2025-03-02T10:00:00Z"  # a new stamp, the same page
    fresh.log.clear()
    fresh.answers.clear()
    summary = ingest([fresh.url("/feed.xml")], store, extractor, fetch=quick())
    fetched = sorted(fresh.paths("/news/"))
    new = sorted(f"/news/{a['slug']}.html" for a in ARTICLES[15:])
    assert fetched == sorted([*new, f"/news/{corrected['slug']}.html", f"/news/{touched['slug']}.html"])
    assert (summary.added, summary.unchanged, summary.failed) == (6, 14, [])
    assert len(summary.duplicates) == 0
    touched_request = [h for p, h in fresh.requests("/news/") if touched["slug"] in p][0]
    assert "if-none-match" in touched_request  # the page was asked for conditionally and answered 304
    assert (f"/news/{touched['slug']}.html", 304) in fresh.answers
    doc = documents(store)[fresh.article_url(3)]
    assert "televised statement" in doc["text"] and doc["published"] == "2025-03-01"


def test_each_broken_case_gives_its_reason_and_the_batch_goes_on(fresh, store, extractor):
    down = f"http://127.0.0.1:{closed_port()}/feed.xml"
    fresh.feed_mode = "garbage"
    summary = ingest([fresh.url("/mixed.xml"), fresh.url("/feed.xml"), down, fresh.url("/truncated-feed.xml")],
                     store, extractor, fetch=quick())
    reasons = {f.key.replace(fresh.url(""), ""): f.reason for f in summary.failed}
    expected = {
        "/error500": r"^HTTP 500 Internal Server Error \(after 2 attempts\)$",
        "/slow": r"^timed out: no response within 0.5 s",
        "/truncated": r"received \d+ bytes, expected 5000",
        "/huge": r"^response too large: 52428800 bytes declared, limit 1048576$",
        "/huge-unsized": r"^response too large: more than 1048576 bytes$",
        "/redirect/loop-a": r"^redirect loop: ",
        "/redirect/many/0": r"^too many redirects \(more than 5\)",
        "/redirect/ftp": r"^redirect to ftp://127.0.0.1/pub/file.html: unsupported URL scheme 'ftp'",
        "/private/secret.html": r"^forbidden by robots.txt of http://127.0.0.1:\d+: /private/secret.html$",
        "/image.png": r"^not an article: content type image/png$",
        "ftp://127.0.0.1/pub/article.html": r"^feed item link: unsupported URL scheme 'ftp'",
        "/feed.xml": r"^not an RSS or Atom feed: ",
        down: r"^connection failed: ",
        "/truncated-feed.xml": r"^malformed feed \(.+\); \d+ items read$",
    }
    for key, pattern in expected.items():
        assert key in reasons, (key, reasons)
        assert re.search(pattern, reasons[key]), (key, reasons[key])
    assert set(reasons) == set(expected)
    # the good links of the mixed feed and the items before the cut of the truncated feed are stored
    docs = documents(store)
    assert fresh.article_url(0) in docs and fresh.url("/redirect/once") in docs
    assert docs[fresh.url("/redirect/once")]["title"] == "Item 12"  # the feed's title beats the page's
    truncated_items = len(parse_feed(fresh.feed()[:2500].encode()).items)
    assert truncated_items == 5
    # article 0 twice under one key (unchanged), article 2 also under /redirect/once (a duplicate)
    assert (summary.added, summary.unchanged, len(summary.duplicates)) == (2 + truncated_items - 2, 1, 1)
    assert docs[fresh.url("/redirect/once")]["url"] == fresh.article_url(2)  # where the article really is
    assert "/private/secret.html" not in fresh.paths()
    assert store.count("failures") == len(summary.failed)


def test_a_feed_carrying_the_full_text_is_read_without_fetching(tmp_path, store, extractor):
    entries = "\n".join(f"""<entry>
<title>{a["title"]}</title>
<id>urn:levant-ledger:{a["slug"]}</id>
<link href="http://127.0.0.1:9/news/{a["slug"]}.html"/>
<updated>{a["published"]}</updated>
<published>{a["published"]}</published>
<author><name>{a["author"]}</name></author>
<content type="html">{"".join("&lt;p&gt;" + p + "&lt;/p&gt;" for p in a["paragraphs"])}</content>
</entry>""" for a in ARTICLES[:3])
    saved = tmp_path / "ledger.atom"
    saved.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{OUTLET}</title><id>urn:ledger</id>
<updated>2025-01-08T00:00:00Z</updated>{entries}</feed>""")
    settings = quick(full_text_words=60)
    summary = ingest([str(saved)], store, extractor, fetch=settings)
    assert (summary.added, summary.failed, summary.requests) == (3, [], 0)  # port 9 was never asked
    docs = documents(store)
    doc = docs[f"http://127.0.0.1:9/news/{ARTICLES[1]['slug']}.html"]
    assert (doc["published"], doc["published_from"], doc["outlet"]) == ("2025-01-07", "metadata", OUTLET)
    assert doc["text"].startswith("DAMASCUS — Syria accused Israel")
    again = ingest([str(saved)], store, extractor, fetch=settings)
    assert (again.added, again.unchanged) == (0, 3)


def test_a_saved_rss_file_is_read_by_content_and_other_xml_is_refused(fresh, tmp_path, store, extractor):
    fresh.feed_count = 2
    (tmp_path / "saved.xml").write_text(fresh.feed())
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    summary = ingest([str(tmp_path / "saved.xml"), str(tmp_path / "sitemap.xml")], store, extractor, fetch=quick())
    assert summary.added == 2
    assert [(f.key, f.reason) for f in summary.failed] == [
        ("sitemap.xml", "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root)")]
    assert looks_like_feed(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c -->\n<rdf:RDF xmlns:rdf="x">')
    assert not looks_like_feed(b"<!DOCTYPE html><html><body><rss>")


def test_a_url_list_is_fetched_and_its_unchanged_pages_cost_a_304(fresh, tmp_path, store, extractor):
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join([fresh.article_url(5), fresh.article_url(6), "# a comment", "not-a-url",
                                  fresh.url("/redirect/once")]) + "\n")
    summary = ingest([], store, extractor, url_lists=[str(listing)], fetch=quick())
    assert summary.added == 3
    assert [f.reason for f in summary.failed] == ["line 4: not a URL (expected http:// or https://...): not-a-url"]
    doc = documents(store)[fresh.article_url(5)]
    assert (doc["published"], doc["title"]) == ("2025-01-11", ARTICLES[5]["title"])  # from the page's own meta
    fresh.reset()
    again = ingest([], store, extractor, url_lists=[str(listing)], fetch=quick())
    assert (again.added, again.unchanged) == (0, 3)
    assert all("if-none-match" in headers for _, headers in fresh.requests())
    assert {status for _, status in fresh.answers if _.startswith("/news/")} == {304}


def test_watch_adds_new_items_each_cycle_and_survives_a_feed_that_is_down_or_garbage(fresh, store, extractor):
    fresh.feed_count = 4
    script = iter([("feed_count", 7), ("feed_mode", "down"), ("feed_mode", "garbage"), ("feed_mode", "ok")])

    def between_cycles(seconds: float) -> None:
        assert seconds <= 0.01
        name, value = next(script)
        setattr(fresh, name, value)

    lines: list[str] = []
    summaries = watch([fresh.url("/feed.xml")], store, extractor, every=0, cycles=5, echo=lines.append,
                      fetch=quick(retries=0), sleep=between_cycles)
    assert [s.added for s in summaries] == [4, 3, 0, 0, 0]
    assert len(lines) == 5
    assert "cycle 1: added 4 (" in lines[0] and ARTICLES[0]["slug"] in lines[0] and "unchanged 0, failed 0" in lines[0]
    assert "cycle 2: added 3 (" in lines[1] and ARTICLES[6]["slug"] in lines[1] and "unchanged 4" in lines[1]
    assert re.search(r"cycle 3: added 0, unchanged 0, failed 1 \(.*/feed.xml: HTTP 503 Service Unavailable\)", lines[2])
    assert re.search(r"cycle 4: added 0, unchanged 0, failed 1 \(.*/feed.xml: not an RSS or Atom feed", lines[3])
    assert "cycle 5: added 0, unchanged 7, failed 0, 1 HTTP request" in lines[4]
    assert store.count("documents") == 7


def test_watch_command_runs_the_given_cycles(fresh, tmp_path):
    from newsgraph.cli import main

    fresh.feed_count = 2
    db = store_url(tmp_path, "watch")
    args = ["watch", fresh.url("/feed.xml"), "--every", "0s", "--cycles", "2", "--delay", "0", "--timeout", "1",
            "--db", db]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "watching 1 feed(s) every 0s for 2 cycles"
    assert "cycle 1: added 2 (" in lines[1] and "cycle 2: added 0, unchanged 2, failed 0, 1 HTTP request" in lines[2]
    bad = CliRunner().invoke(main, ["watch", fresh.url("/feed.xml"), "--every", "soon", "--db", str(db)])
    assert bad.exit_code == 2 and "bad interval 'soon'" in bad.output


def test_intervals_are_read_with_their_unit():
    assert [parse_every(x) for x in ("15m", "30s", "1h", "1.5h", "90", "2d")] == [900, 30, 3600, 5400, 90, 172800]
    with pytest.raises(ValueError, match="bad interval"):
        parse_every("every hour")


def test_the_fetch_cache_works_the_same_on_postgresql(fresh, extractor):
    from newsgraph.store.db import Store
    from tests.pg import fresh_database

    for url in fresh_database():
        store = Store(url)
        try:
            fresh.feed_count = 3
            first = ingest([fresh.url("/feed.xml")], store, extractor, fetch=quick())
            fresh.reset()
            fresh.feed_count = 3
            again = ingest([fresh.url("/feed.xml")], store, extractor, fetch=quick())
            assert (first.added, again.added, again.unchanged) == (3, 0, 3)
            assert fresh.answers == [("/feed.xml", 304)]
        finally:
            store.close()


def test_ingest_command_takes_urls_and_url_lists_and_names_each_failure(fresh, tmp_path):
    from newsgraph.cli import main

    listing = tmp_path / "urls.txt"
    listing.write_text(f"{fresh.article_url(7)}\n{fresh.url('/error500')}\n")
    db = store_url(tmp_path, "cli")
    args = ["ingest", fresh.article_url(8), "--urls", str(listing), "--delay", "0", "--timeout", "0.5", "--db", db,
            "--quiet"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "read 3: added 2, duplicates 0, unchanged 0, failed 1"
    assert lines[1].startswith("fetched: ") and int(lines[1].split()[1]) >= 5  # robots, 2 pages, 500 retried
    assert lines[2] == f"  failed {fresh.url('/error500')}: HTTP 500 Internal Server Error (after 3 attempts)"
    assert CliRunner().invoke(main, ["ingest", "--db", db]).exit_code == 2  # nothing to ingest


def test_undated_feed_items_are_asked_for_conditionally_each_run(fresh, tmp_path, store, extractor):
    saved = tmp_path / "undated.rss"
    items = "".join(f"<item><title>{a['title']}</title><link>{fresh.article_url(i)}</link></item>"
                    for i, a in enumerate(ARTICLES[:2]))
    saved.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Undated</title>{items}</channel></rss>')
    assert ingest([str(saved)], store, extractor, fetch=quick()).added == 2
    fresh.reset()
    again = ingest([str(saved)], store, extractor, fetch=quick())
    assert (again.added, again.unchanged) == (0, 2)
    assert fresh.answers == [(f"/news/{a['slug']}.html", 304) for a in ARTICLES[:2]]  # no date: the server decides
