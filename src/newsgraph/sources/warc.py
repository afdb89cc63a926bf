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

from newsgraph.model import RawDocument, SourceError
from newsgraph.sources.paths import Target

HTML_TYPES = ("text/html", "application/xhtml+xml")
RECORD_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation"}


def read_warc(target: Target) -> Iterator[RawDocument | SourceError]:
    """One document per archived HTML page, keyed by its URL; the damage, if any, reported last."""
    source = os.path.abspath(target.path)
    pages = 0
    end = 0
    try:
        with open(target.path, "rb") as handle:
            records = ArchiveIterator(handle)
            for record in records:
                if record.rec_type not in RECORD_TYPES:
                    raise WarcDamage(f"not a WARC record at byte {records.get_record_offset()}")
                if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                    raise WarcDamage(f"the record at byte {records.get_record_offset()} has no valid Content-Length")
                page = _page(record)
                records.read_to_end()
                if getattr(record.raw_stream, "limit", 0):
                    raise WarcDamage(f"the record at byte {records.get_record_offset()} is cut short")
                end = records.get_record_offset() + records.get_record_length()
                if page is not None:
                    pages += 1
                    page.source = source
                    page.key = page.key or f"{target.key}#{pages}"
                    yield page
            handle.seek(end)
            if handle.read(64).strip():
                raise WarcDamage(f"the archive ends inside a record at byte {end}")
    except OSError as exc:
        yield SourceError(target.key, source, f"unreadable file: {exc.strerror or exc}")
        return
    except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on damaged input; report, keep the batch
        reason = str(exc) if isinstance(exc, WarcDamage) else f"{type(exc).__name__}: {exc}"
        yield SourceError(target.key, source, f"invalid WARC after {pages} pages: {' '.join(reason.split())}")
        return
    if pages == 0:
        yield SourceError(target.key, source, "no archived HTML pages in WARC")


class WarcDamage(ValueError):
    pass


def _page(record) -> RawDocument | None:
    """The document of an archived HTML page; None for every other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode() or ""
    kind = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if not status.startswith("2") or kind not in HTML_TYPES:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    body = record.content_stream().read()
    if not body.strip():
        return None
    return RawDocument(key=uri, source="", data=body, fmt="html", meta={"url": uri})
