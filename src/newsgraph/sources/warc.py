"""WARC / WARC.gz web archives: every archived HTML page (a 2xx response record) is a document.

Crawls (Common Crawl, Heritrix, wget --warc-file, browsertrix) keep pages with their HTTP headers; the
page bytes go to clean exactly as a fetched page would, so an archive and a live fetch of the same article
give the same document. Requests, metadata records, images and redirects are not articles and are passed
over; a damaged archive is reported after the records read before the damage.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsgraph.model import RawDocument, SourceError
from newsgraph.sources.paths import Target

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(target: Target) -> Iterator[RawDocument | SourceError]:
    """One document per archived HTML page, keyed by its URL."""
    source = os.path.abspath(target.path)
    pages = 0
    try:
        with open(target.path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode() or ""
                kind = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
                if not status.startswith("2") or kind not in HTML_TYPES:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"{target.key}#{pages + 1}"
                body = record.content_stream().read()
                pages += 1
                if not body.strip():
                    yield SourceError(uri, source, "empty HTML response in WARC")
                    continue
                yield RawDocument(key=uri, source=source, data=body, fmt="html", meta={"url": uri})
    except OSError as exc:
        yield SourceError(target.key, source, f"unreadable file: {exc.strerror or exc}")
        return
    except (ArchiveLoadFailed, ValueError, EOFError) as exc:
        yield SourceError(target.key, source, f"invalid WARC after {pages} pages: {' '.join(str(exc).split())}")
        return
    if pages == 0:
        yield SourceError(target.key, source, "no archived HTML pages in WARC")
