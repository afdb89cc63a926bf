"""WARC archives written with warcio: the archived pages are the same documents as the live feed's."""

from __future__ import annotations

import io

from sqlalchemy import select
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.engine import ingest
from newsgraph.settings import FetchSettings
from newsgraph.sources import iter_raw
from newsgraph.store import schema as t
from newsgraph.store.db import Store
from tests.conftest import store_url
from tests.live_articles import ARTICLES
from tests.live_site import ROBOTS, LiveSite


def write_warc(path, site: LiveSite, gzip: bool) -> None:
    """A crawl of the site as a crawler writes it: requests, the robots.txt, the pages, an image, a redirect."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "newsgraph tests"}))
        records = [(site.url("/robots.txt"), "200 OK", "text/plain", ROBOTS.encode())]
        for index, article in enumerate(ARTICLES):
            records.append((site.article_url(index), "200 OK", "text/html; charset=utf-8",
                            site.page(article["slug"]).encode("utf-8")))
            if index == 4:
                records.append((site.url("/logo.png"), "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"x" * 64))
                records.append((site.url("/redirect/once"), "302 Found", "text/html", b""))
        for uri, status, kind, body in records:
            request = writer.create_warc_record(
                uri, "request", payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"GET {uri} HTTP/1.1", [("User-Agent", "crawler")], is_http_request=True))
            writer.write_record(request)
            headers = StatusAndHeaders(status, [("Content-Type", kind), ("Content-Length", str(len(body)))],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


def stored(store: Store) -> dict[str, tuple]:
    c = t.documents.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(c.key, c.id, c.sha256, c.published, c.title, c.author, c.outlet, c.url, c.words))
        return {row[0]: tuple(row[1:]) for row in rows}


def test_a_warc_of_the_same_articles_gives_the_same_documents_as_the_feed(site, tmp_path, extractor):
    site.reset()
    fetch = FetchSettings(delay=0, timeout=1, retries=0)
    from_feed = Store(store_url(tmp_path, "feed"))
    from_warc = Store(store_url(tmp_path, "warc"))
    try:
        assert ingest([site.url("/feed.xml")], from_feed, extractor, fetch=fetch).added == 20
        warc = tmp_path / "crawl.warc.gz"
        write_warc(warc, site, gzip=True)
        site.reset()
        summary = ingest([str(warc)], from_warc, extractor)
        assert (summary.added, summary.failed, summary.requests) == (20, [], 0)
        assert site.paths() == []  # an archive is read offline
        feed_docs, warc_docs = stored(from_feed), stored(from_warc)
        assert len(feed_docs) == 20
        assert warc_docs == feed_docs  # same keys, ids, text hashes, dates, titles, authors, outlets, URLs
        again = ingest([str(warc)], from_warc, extractor)
        assert (again.added, again.unchanged) == (0, 20)
    finally:
        from_feed.close()
        from_warc.close()


def test_plain_and_gzipped_warcs_hold_the_same_pages(site, tmp_path):
    write_warc(tmp_path / "a.warc", site, gzip=False)
    write_warc(tmp_path / "b.warc.gz", site, gzip=True)
    plain = [(d.key, d.data) for d in iter_raw([str(tmp_path / "a.warc")])]
    zipped = [(d.key, d.data) for d in iter_raw([str(tmp_path / "b.warc.gz")])]
    assert len(plain) == 20 and plain == zipped
    assert all(key.startswith(site.url("/news/")) for key, _ in plain)  # no robots.txt, image or redirect


def test_a_damaged_warc_is_reported_after_the_pages_before_the_damage(site, tmp_path):
    whole = tmp_path / "whole.warc"
    write_warc(whole, site, gzip=False)
    data = whole.read_bytes()
    zipped = tmp_path / "whole.warc.gz"
    write_warc(zipped, site, gzip=True)
    damaged = {
        "garbage.warc": data[: len(data) // 2] + b"\r\nWARC/1.0 garbage that is no header\r\n\r\n" + b"\x00" * 100,
        "cut.warc": data[: len(data) // 2],
        "cut.warc.gz": zipped.read_bytes()[: zipped.stat().st_size // 2],
    }
    for name, content in damaged.items():
        (tmp_path / name).write_bytes(content)
        items = list(iter_raw([str(tmp_path / name)]))
        pages = [i for i in items if hasattr(i, "data")]
        errors = [i for i in items if hasattr(i, "reason")]
        assert 5 <= len(pages) < 20, name
        assert [e.key for e in errors] == [name]
        assert errors[0].reason.startswith(f"invalid WARC after {len(pages)} pages: "), errors[0].reason
        whole_pages = {d.key: d.data for d in iter_raw([str(whole)])}
        assert all(whole_pages[p.key] == p.data for p in pages), name  # no page kept cut short
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    (error,) = list(iter_raw([str(empty)]))
    assert error.reason == "no archived HTML pages in WARC"
