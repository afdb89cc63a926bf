"""Where extraction runs: in this process, in local worker processes, or on a Dask cluster.

Extraction (spaCy and our rules) is the costly, independent part of ingest; storing is not: cross-document
resolution looks up what earlier documents stored. So every engine only extracts, and returns extractions
in input order to the one process that stores them. The same corpus then gives the same store on every
engine.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Protocol

from newsgraph.model import Document, Extraction, SourceError
from newsgraph.settings import Settings

Result = Extraction | SourceError


class EngineError(RuntimeError):
    pass


class Engine(Protocol):
    def run(self, batches: Iterable[list[Document]]) -> Iterator[list[Result]]: ...

    def close(self) -> None: ...


def extract_batch(extractor, docs: list[Document]) -> list[Result]:
    """Extract a batch; if the batch fails, retry one by one so only the document at fault fails."""
    try:
        return list(extractor.extract_many(docs))
    except Exception:  # noqa: BLE001 - find the document at fault
        out: list[Result] = []
        for d in docs:
            try:
                out.append(extractor.extract(d))
            except Exception as exc:  # noqa: BLE001
                out.append(SourceError(d.key, d.source, f"extraction failed: {exc!r}"))
        return out


class SerialEngine:
    """In this process, with the caller's extractor."""

    def __init__(self, extractor):
        self.extractor = extractor

    def run(self, batches: Iterable[list[Document]]) -> Iterator[list[Result]]:
        for docs in batches:
            yield extract_batch(self.extractor, docs) if docs else []

    def close(self) -> None:
        pass


# -- worker side: one extractor per worker process, built on first use ------------------------------
_WORKER_EXTRACTOR = None
_WORKER_KEY: tuple | None = None


def _settings_key(settings: Settings) -> tuple:
    return (settings.model, tuple(settings.actor_dirs), settings.batch_size)


def worker_extract(settings: Settings, docs: list[Document]) -> list[Result]:
    """Run in a worker: build (once) the extractor for these settings and extract the batch."""
    global _WORKER_EXTRACTOR, _WORKER_KEY
    key = _settings_key(settings)
    if _WORKER_EXTRACTOR is None or _WORKER_KEY != key:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from newsgraph.extract.pipeline import Extractor

        _WORKER_EXTRACTOR, _WORKER_KEY = Extractor(settings), key
    return extract_batch(_WORKER_EXTRACTOR, docs)


def _pool_init(settings: Settings) -> None:
    os.environ["OMP_NUM_THREADS"] = "1"
    worker_extract(settings, [])


def _pool_task(args: tuple[Settings, list[Document]]) -> list[Result]:
    return worker_extract(*args)


# Documents a worker takes at a time: small enough that no worker idles long at the end of a corpus (an
# ingest batch of 64 is seconds of work), large enough for spaCy's own batching.
WORKER_CHUNK = 8


class ProcessEngine:
    """Local worker processes (`--workers N`), each with its own spaCy pipeline."""

    def __init__(self, settings: Settings, workers: int, chunk: int = WORKER_CHUNK):
        if workers < 1:
            raise EngineError(f"--workers must be 1 or more, not {workers}")
        import multiprocessing

        os.environ["OMP_NUM_THREADS"] = "1"
        self.settings = settings
        self.chunk = max(1, chunk)
        self.pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_pool_init,
                                                               initargs=(settings,))

    def run(self, batches: Iterable[list[Document]]) -> Iterator[list[Result]]:
        # imap keeps input order and lets the workers run ahead of the writer; each batch goes out in
        # chunks (shared among the workers) and comes back whole
        parts: list[int] = []  # chunks of each batch, appended by the pool's feeder before they are sent

        def chunks() -> Iterator[tuple[Settings, list[Document]]]:
            for docs in batches:
                pieces = [docs[i : i + self.chunk] for i in range(0, len(docs), self.chunk)] or [[]]
                parts.append(len(pieces))
                for piece in pieces:
                    yield self.settings, piece

        results = self.pool.imap(_pool_task, chunks())
        batch = 0
        while True:
            try:
                first = next(results)
            except StopIteration:
                return
            out = list(first)
            for _ in range(parts[batch] - 1):
                out.extend(next(results))
            batch += 1
            yield out

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


class DaskEngine:
    """A Dask distributed cluster: `local:N` starts a LocalCluster of N worker processes here,
    `tcp://HOST:PORT` (or any scheduler address) uses a running one. Workers need newsgraph installed."""

    def __init__(self, settings: Settings, spec: str, lookahead: int = 4):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise EngineError("the Dask engine needs dask[distributed]: pip install 'newsgraph[scale]'") from exc
        self.settings = settings
        self.lookahead = max(1, lookahead)
        self.cluster = None
        if spec.startswith("local:"):
            try:
                n = int(spec.split(":", 1)[1])
            except ValueError as exc:
                raise EngineError(f"--dask local:N needs a number of workers, not {spec!r}") from exc
            if n < 1:
                raise EngineError(f"--dask local:N needs 1 or more workers, not {n}")
            os.environ["OMP_NUM_THREADS"] = "1"
            self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                        dashboard_address=None, env={"OMP_NUM_THREADS": "1"})
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(spec, timeout="10s")
            except OSError as exc:
                raise EngineError(f"cannot reach the Dask scheduler at {spec}: {exc}") from exc

    def run(self, batches: Iterable[list[Document]]) -> Iterator[list[Result]]:
        pending = []
        for docs in batches:
            pending.append(self.client.submit(worker_extract, self.settings, docs, pure=False))
            if len(pending) > self.lookahead:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_engine(extractor, settings: Settings, workers: int | None = None, dask: str | None = None) -> Engine:
    if workers and dask:
        raise EngineError("choose --workers or --dask, not both")
    if dask:
        return DaskEngine(settings, dask)
    if workers and workers > 1:
        return ProcessEngine(settings, workers)
    return SerialEngine(extractor)
