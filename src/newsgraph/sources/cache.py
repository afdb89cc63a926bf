"""What was fetched before, kept in the store, so a later run asks only for what may have changed.

Each fetched URL keeps its validators (ETag, Last-Modified), the hash of its body and, for feeds and
robots.txt, the body itself (a feed answered "304 Not Modified" is read again from here). A URL counts as
processed once the store holds a document or a failure under it as key: only then is it skipped, so a
run stopped between fetching and storing fetches again next time instead of losing the article.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from newsgraph.store import schema as t


@dataclass
class CacheEntry:
    url: str
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None  # of the body as fetched
    stamp: str | None = None  # a feed item's updated / published value when its link was fetched
    body: bytes | None = None  # kept for feeds and robots.txt only
    status: int = 200
    fetched_at: str = ""


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def age_seconds(stamp: str) -> float:
    try:
        then = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return float("inf")
    return (dt.datetime.now(dt.UTC) - then).total_seconds()


class FetchCache:
    """The fetch_cache table of a store; with no engine, a cache that lasts this process only."""

    def __init__(self, engine: Engine | None = None):
        self.engine = engine
        self._memory: dict[str, CacheEntry] = {}

    def get(self, url: str) -> CacheEntry | None:
        if self.engine is None:
            return self._memory.get(url)
        c = t.fetch_cache.c
        with self.engine.connect() as conn:
            row = conn.execute(select(t.fetch_cache).where(c.url == url)).mappings().first()
        return CacheEntry(**dict(row)) if row else None

    def put(self, entry: CacheEntry) -> None:
        entry.fetched_at = entry.fetched_at or now()
        if self.engine is None:
            self._memory[entry.url] = entry
            return
        values = {k: getattr(entry, k) for k in t.fetch_cache.c.keys()}
        with self.engine.begin() as conn:
            conn.execute(delete(t.fetch_cache).where(t.fetch_cache.c.url == entry.url))
            conn.execute(t.fetch_cache.insert().values(**values))

    def processed(self, key: str, since: str | None = None) -> bool:
        """A document is stored under key, or a failure was recorded for it (at or after `since`)."""
        if self.engine is None:
            return key in self._memory
        with self.engine.connect() as conn:
            if conn.scalar(select(t.document_keys.c.doc_id).where(t.document_keys.c.key == key).limit(1)):
                return True
            f = t.failures.c
            query = select(f.id).where(f.key == key)
            if since:
                query = query.where(f.at >= since)
            return conn.scalar(query.limit(1)) is not None
