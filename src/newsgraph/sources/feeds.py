"""RSS 2.0 / RSS 1.0 / Atom feeds: recognising one by its content, and its items with their metadata.

A feed states what an article page often hides or garbles: the publication date, headline, author and
outlet. Those become the document's metadata (`published_from: metadata`). feedparser is given bytes
only, never a URL: fetching is the fetcher's job, with its limits.
"""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import feedparser

_ROOT = re.compile(rb"<\s*([A-Za-z][\w.:-]*)")
_SKIP = re.compile(rb"^(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.DOTALL | re.IGNORECASE)
FEED_ROOTS = {b"rss", b"feed", b"rdf:rdf", b"rdf"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
_TAGS = re.compile(r"<[^>]+>")


class FeedError(ValueError):
    """Bytes that are not a readable feed; the message is the reason."""


@dataclass
class FeedItem:
    """One entry: where the article is, what the feed says about it, and its text when the feed carries it."""

    link: str | None
    guid: str | None
    stamp: str  # the entry's updated / published value as written: a change means the item changed
    meta: dict[str, Any] = field(default_factory=dict)  # title, published, author, outlet, url
    content: str | None = None  # the entry's HTML (content:encoded / atom:content, else the summary)

    @property
    def key(self) -> str | None:
        return self.link or self.guid

    def words(self) -> int:
        return len(_TAGS.sub(" ", self.content or "").split())


@dataclass
class Feed:
    title: str | None
    items: list[FeedItem]
    problem: str | None = None  # set when the XML is malformed but items were still read


def looks_like_feed(data: bytes) -> bool:
    """True when the first element of the document is <rss>, <feed> or <rdf:RDF>."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    while True:
        match = _SKIP.match(head)
        if not match or not match.group(0):
            break
        head = head[match.end():]
    root = _ROOT.match(head)
    return bool(root) and root.group(1).lower() in FEED_ROOTS


def parse_feed(data: bytes, base_url: str | None = None) -> Feed:
    """Items of a feed; FeedError with the parser's reason when nothing can be read."""
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    problem = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        problem = " ".join(str(exc).split()) or type(exc).__name__
    if not parsed.get("version") and not parsed.entries:
        raise FeedError(f"not an RSS or Atom feed: {problem or 'no feed elements'}")
    if problem and not parsed.entries:
        raise FeedError(f"malformed feed: {problem}")
    outlet = _clean(parsed.feed.get("title"))
    items = [_item(entry, outlet, base_url) for entry in parsed.entries]
    return Feed(outlet, items, f"malformed feed ({problem}); {len(items)} items read" if problem else None)


def _item(entry: Any, outlet: str | None, base_url: str | None) -> FeedItem:
    link = entry.get("link")
    if link and base_url:
        link = urljoin(base_url, link)
    get = dict.get  # not FeedParserDict.get, which maps a missing 'updated' to 'published' with a warning
    published = _iso(get(entry, "published_parsed")) or _iso(get(entry, "updated_parsed"))
    if not published:
        published = get(entry, "published") or get(entry, "updated")
    meta = {
        "title": _clean(entry.get("title")),
        "published": published,
        "author": _clean(entry.get("author")),
        "outlet": outlet,
        "url": link,
    }
    meta = {k: v for k, v in meta.items() if v}
    if "published" in meta:
        meta["published_from"] = "metadata"
    content = None
    if entry.get("content"):
        content = max((c.get("value") or "" for c in entry.content), key=len) or None
    content = content or entry.get("summary") or None
    stamp = str(get(entry, "updated") or get(entry, "published") or "")
    return FeedItem(link=link or None, guid=entry.get("id") or None, stamp=stamp, meta=meta, content=content)


def _iso(parsed: time.struct_time | None) -> str | None:
    """feedparser's UTC struct_time as ISO 8601 with the time (clean keeps the day)."""
    if not parsed:
        return None
    try:
        moment = time.gmtime(calendar.timegm(parsed))
    except (OverflowError, ValueError):
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", moment)


def _clean(value: Any) -> str | None:
    if not value:
        return None
    text = " ".join(_TAGS.sub(" ", str(value)).split())
    return text or None
