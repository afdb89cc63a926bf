"""Live sources: feed URLs, saved feeds, article URLs and URL lists, read through the fetch cache.

What is skipped and why: an item whose link is stored and whose feed stamp (updated / published) has not
changed is not requested at all; a stored URL is asked for conditionally (ETag / Last-Modified) and a
304, or a body with the same hash as before, is not processed again. Everything else becomes a
RawDocument whose metadata (published, title, author, outlet from the feed) beats what the page says.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from typing import Any

from newsgraph.model import RawDocument, SourceError, Unchanged
from newsgraph.settings import FetchSettings
from newsgraph.sources.cache import CacheEntry, FetchCache
from newsgraph.sources.feeds import FEED_TYPES, FeedError, FeedItem, looks_like_feed, parse_feed
from newsgraph.sources.fetch import Fetcher, FetchError, Response
from newsgraph.sources.files import read_bytes
from newsgraph.sources.paths import Target
from newsgraph.sources.urls import url_problem

Item = RawDocument | SourceError | Unchanged

PAGE_TYPES = {"": "html", "text/html": "html", "application/xhtml+xml": "html", "text/plain": "txt"}


class LiveSources:
    """The fetcher and fetch cache of one run (or of every cycle of a watch)."""

    def __init__(self, settings: FetchSettings | None = None, cache: FetchCache | None = None,
                 feeds_only: bool = False):
        self.settings = settings or FetchSettings()
        self.cache = cache or FetchCache()
        self.feeds_only = feeds_only  # a URL that is not a feed is an error, not an article (watch)
        self._given: dict[str, str | None] = {}  # link -> feed stamp of the documents given (two feeds, one story)
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.settings, self.cache)
        return self._fetcher

    @property
    def requests(self) -> int:
        return self._fetcher.requests if self._fetcher else 0

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    # -- entry points --------------------------------------------------------------------------------
    def read_url(self, url: str) -> Iterator[Item]:
        """A feed's items, or the article at url."""
        problem = url_problem(url)
        if problem:
            yield SourceError(url, url, problem)
            return
        entry = self.cache.get(url)
        usable = entry if entry and (entry.body is not None or self._processed(entry)) else None
        try:
            response = self.fetcher.get(url, usable)
        except FetchError as exc:
            yield SourceError(url, url, str(exc))
            return
        if response.status == 304 and usable is not None:
            if usable.body is not None:  # a feed: its items are read again from the cached copy
                yield from self._feed_items(url, usable.body, usable.final_url or url)
            else:
                yield Unchanged(url, url)
            return
        if response.content_type in FEED_TYPES or looks_like_feed(response.body):
            self.cache.put(_entry(response, body=response.body))
            yield from self._feed_items(url, response.body, response.final_url)
            return
        if self.feeds_only:
            kind = response.content_type or "no content type"
            yield SourceError(url, url, f"not an RSS or Atom feed: the URL returned {kind}")
            return
        yield from self._page(url, response, entry, stamp=None, meta={})

    def read_feed_file(self, target: Target) -> Iterator[Item]:
        """The items of a saved feed file (.rss, .atom, or .xml that holds a feed)."""
        source = os.path.abspath(target.path)
        data = read_bytes(target.path)
        if isinstance(data, str):
            yield SourceError(target.key, source, data)
            return
        if not data.strip():
            yield SourceError(target.key, source, "empty file")
            return
        if not looks_like_feed(data):
            yield SourceError(target.key, source, "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root)")
            return
        yield from self._feed_items(source, data, None, key=target.key)

    # -- feeds ---------------------------------------------------------------------------------------
    def _feed_items(self, source: str, data: bytes, base: str | None, key: str | None = None) -> Iterator[Item]:
        key = key or source
        try:
            feed = parse_feed(data, base)
        except FeedError as exc:
            yield SourceError(key, source, str(exc))
            return
        if feed.problem:
            yield SourceError(key, source, feed.problem)
        if not feed.items:
            yield SourceError(key, source, "feed has no items")
        for number, item in enumerate(feed.items, 1):
            yield from self._item(item, source, f"{key}#{number}")

    def _item(self, item: FeedItem, source: str, fallback: str) -> Iterator[Item]:
        if item.content and item.words() >= self.settings.full_text_words:
            yield from self._full_text(item, source)
            return
        link = item.link
        if not link:
            yield SourceError(item.key or fallback, source,
                              f"feed item has no link and too little text to be the article ({item.words()} words)")
            return
        problem = url_problem(link)
        if problem:
            yield SourceError(link, source, f"feed item link: {problem}")
            return
        if link in self._given and self._given[link] == item.stamp:  # another feed had it: not asked for twice
            yield Unchanged(link, link)
            return
        entry = self.cache.get(link)
        known = entry is not None and self._processed(entry)
        if known and item.stamp and entry.stamp == item.stamp:  # the feed says it has not changed: not asked for
            yield Unchanged(link, link)
            return
        try:
            response = self.fetcher.get(link, entry if known else None)
        except FetchError as exc:
            yield SourceError(link, link, str(exc))
            return
        if response.status == 304 and known:
            entry.stamp = item.stamp
            self.cache.put(entry)
            yield Unchanged(link, link)
            return
        yield from self._page(link, response, entry, stamp=item.stamp, meta=item.meta)

    def _full_text(self, item: FeedItem, source: str) -> Iterator[Item]:
        """An item that carries the whole article is the document; its link is not fetched."""
        key = item.key or source
        content = item.content or ""
        sha = hashlib.sha256(content.encode("utf-8")).hexdigest()
        entry = self.cache.get(key)
        if entry is not None and entry.sha256 == sha and self._processed(entry):
            yield Unchanged(key, source)
            return
        self.cache.put(CacheEntry(url=key, final_url=item.link, sha256=sha, stamp=item.stamp, status=200))
        yield RawDocument(key=key, source=source, data=content, fmt="html", meta=dict(item.meta))

    # -- pages ---------------------------------------------------------------------------------------
    def _page(self, url: str, response: Response, entry: CacheEntry | None, stamp: str | None,
              meta: dict[str, Any]) -> Iterator[Item]:
        fmt = PAGE_TYPES.get(response.content_type)
        if fmt is None:
            yield SourceError(url, url, f"not an article: content type {response.content_type}")
            return
        if not response.body.strip():
            yield SourceError(url, url, "empty response")
            return
        if entry is not None and entry.sha256 == response.sha256 and self._processed(entry):
            entry.etag, entry.last_modified = _validators(response)
            entry.stamp = stamp if stamp is not None else entry.stamp
            self.cache.put(entry)
            yield Unchanged(url, url)
            return
        self.cache.put(_entry(response, stamp=stamp))
        self._given[url] = stamp
        yield RawDocument(key=url, source=url, data=response.body, fmt=fmt, meta={**meta, "url": response.final_url})

    def _processed(self, entry: CacheEntry) -> bool:
        return self.cache.processed(entry.url, since=entry.fetched_at)


def _validators(response: Response) -> tuple[str | None, str | None]:
    return response.headers.get("etag"), response.headers.get("last-modified")


def _entry(response: Response, stamp: str | None = None, body: bytes | None = None) -> CacheEntry:
    etag, modified = _validators(response)
    return CacheEntry(url=response.url, final_url=response.final_url, etag=etag, last_modified=modified,
                      sha256=response.sha256, stamp=stamp, body=body, status=response.status)
