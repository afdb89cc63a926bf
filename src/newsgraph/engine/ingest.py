"""Ingest: read, skip inputs read before, clean, skip texts stored, extract in batches, store each document
atomically.

One bad document never stops the batch: it is recorded as a failure with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsgraph.chunks import chunked
from newsgraph.clean import CleanError, clean
from newsgraph.clean.decode import storable
from newsgraph.engine.engines import Engine, SerialEngine
from newsgraph.extract.pipeline import Extractor
from newsgraph.model import Document, Extraction, RawDocument, SourceError, Unchanged
from newsgraph.settings import FetchSettings, Limits
from newsgraph.sources import iter_raw
from newsgraph.store.db import Store
from newsgraph.store.lock import ingest_lock

if TYPE_CHECKING:
    from newsgraph.sources.live import LiveSources

Progress = Callable[[int], None]


@dataclass
class IngestSummary:
    added: int = 0
    unchanged: int = 0  # stored before under the same key
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (key, id of the document it repeats)
    failed: list[SourceError] = field(default_factory=list)
    words: int = 0
    added_keys: list[str] = field(default_factory=list)
    requests: int = 0  # HTTP requests sent for live sources (feeds, URLs, robots.txt)

    @property
    def seen(self) -> int:
        return self.added + self.unchanged + len(self.duplicates) + len(self.failed)


Read = RawDocument | SourceError | Unchanged
Cleaned = Document | SourceError | Unchanged


def _cleaned(items: list[Read], store: Store, limits: Limits) -> list[Cleaned]:
    """A batch cleaned, except the inputs the store holds as read before: those are Unchanged at once."""
    raws = [(x, x.fingerprint()) for x in items if isinstance(x, RawDocument)]
    known = store.known_inputs([(raw.key, raw.source, fp) for raw, fp in raws])
    prints = {id(raw): fp for raw, fp in raws}
    out: list[Cleaned] = []
    for item in items:
        if not isinstance(item, RawDocument):
            out.append(item)
        elif (item.key, item.source, prints[id(item)]) in known:
            out.append(Unchanged(item.key, item.source))
        else:
            out.append(_clean(item, prints[id(item)], limits))
    return out


def _clean(raw: RawDocument, fingerprint: str, limits: Limits) -> Document | SourceError:
    try:
        doc = clean(raw, limits)
    except CleanError as exc:
        return SourceError(raw.key, raw.source, str(exc))
    except Exception as exc:  # noqa: BLE001 - a cleaner bug must not stop the batch
        return SourceError(raw.key, raw.source, f"cleaning failed: {exc.__class__.__name__}: {exc}")
    doc.raw_sha256 = fingerprint
    return doc


def ingest(
    paths: list[str],
    store: Store,
    extractor: Extractor,
    mapping: dict[str, str] | None = None,
    published: str | None = None,
    progress: Progress | None = None,
    batch_size: int = 64,
    engine: Engine | None = None,
    url_lists: list[str] | tuple[str, ...] = (),
    fetch: FetchSettings | None = None,
    live: LiveSources | None = None,
    limits: Limits | None = None,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Read, clean and store; extraction runs on the engine (this process by default), storing here, in
    input order, so every engine gives the same store. limits (default: from the environment) bounds
    what one input may hold.

    Feeds and URLs (in paths or in the url_lists files) are fetched with `fetch` settings through the
    store's fetch cache; pass `live` instead to share one fetcher across calls (watch does).

    On SQLite one ingest runs at a time: StoreBusy if another holds the store, unless wait (on_wait is
    told why it waits). A killed ingest resumes by running it again: what was stored is skipped.
    """
    with ingest_lock(store.url, wait, on_wait):
        return _ingest(paths, store, extractor, mapping, published, progress, batch_size, engine, url_lists,
                       fetch, live, limits or Limits())


def _ingest(paths: list[str], store: Store, extractor: Extractor, mapping: dict[str, str] | None,
            published: str | None, progress: Progress | None, batch_size: int, engine: Engine | None,
            url_lists: list[str] | tuple[str, ...], fetch: FetchSettings | None, live: LiveSources | None,
            limits: Limits) -> IngestSummary:
    summary = IngestSummary()
    engine = engine or SerialEngine(extractor)
    plans: list[_Plan] = []
    own_live = live is None
    if live is None:
        from newsgraph.sources.cache import FetchCache
        from newsgraph.sources.live import LiveSources

        live = LiveSources(fetch, FetchCache(store.engine))
    requests_before = live.requests

    def fresh_batches() -> Iterator[list[Document]]:
        for batch in chunked(iter_raw(paths, mapping, live, url_lists, limits), batch_size):
            plan = _plan(_cleaned(batch, store, limits), store, published)
            plans.append(plan)
            yield plan.fresh

    try:
        for extractions in engine.run(fresh_batches()):
            plan = plans.pop(0)
            _settle(plan, extractions, store, extractor, summary)
            if progress:
                progress(plan.size)
        store.refresh_statistics(summary.added)
    finally:
        summary.requests = live.requests - requests_before
        if own_live:
            live.close()
    return summary


def _settle(plan: _Plan, extractions: list[Extraction | SourceError], store: Store, extractor: Extractor,
            summary: IngestSummary) -> None:
    """Record a batch's failures, store its extractions, then count its repeats and unchanged items."""
    for f in plan.fails:
        _fail(store, summary, f)
    _store(extractions, store, extractor, summary)
    statuses = store.add_keys([(d.sha256, d.key, d.source, d.raw_sha256) for d in plan.repeats])  # after firsts
    for d, status in zip(plan.repeats, statuses, strict=True):
        _count(summary, d, status)
    store.forget_failures(plan.unchanged)  # read again as stored: a failure since then is no longer current
    summary.unchanged += len(plan.unchanged)


@dataclass
class _Plan:
    size: int
    fails: list[SourceError]
    fresh: list[Document]
    repeats: list[Document]
    unchanged: list[tuple[str, str]] = field(default_factory=list)  # (key, source) stored before, unchanged


def _plan(batch: list[Cleaned], store: Store, published: str | None) -> _Plan:
    fails = [x for x in batch if isinstance(x, SourceError)]
    unchanged = [(x.key, x.source) for x in batch if isinstance(x, Unchanged)]
    docs = [x for x in batch if isinstance(x, Document)]
    if published:
        for d in docs:
            d.published, d.published_from = published, "user"
    known = store.known_hashes([d.sha256 for d in docs])
    fresh: dict[str, Document] = {}
    repeats: list[Document] = []
    for d in docs:
        if d.sha256 in known or d.sha256 in fresh:
            repeats.append(d)
        else:
            fresh[d.sha256] = d
    return _Plan(len(batch), fails, list(fresh.values()), repeats, unchanged)


def _store(results: list[Extraction | SourceError], store: Store, extractor: Extractor,
           summary: IngestSummary) -> None:
    for ex in results:
        if isinstance(ex, SourceError):
            _fail(store, summary, ex)
            continue
        try:
            status = store.save(ex, extractor.dictionary)
        except Exception as exc:  # noqa: BLE001 - the transaction rolled back; nothing partial is stored
            _fail(store, summary, SourceError(ex.document.key, ex.document.source, f"storing failed: {exc!r}"))
            continue
        _count(summary, ex.document, status)


def _count(summary: IngestSummary, doc: Document, status: str) -> None:
    if status == "added":
        summary.added += 1
        summary.words += doc.words
        summary.added_keys.append(doc.key)
    elif status == "duplicate":
        from newsgraph.store.db import document_id

        summary.duplicates.append((doc.key, document_id(doc.sha256)))
    else:
        summary.unchanged += 1


def _fail(store: Store, summary: IngestSummary, failure: SourceError) -> None:
    failure = SourceError(*(storable(x) for x in (failure.key, failure.source, failure.reason)))
    summary.failed.append(failure)
    store.record_failure(failure)
